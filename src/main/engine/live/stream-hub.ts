// One camera's live video, fanned out to its viewers. FFmpeg writes fragmented MP4 (ftyp, moov,
// then one moof+mdat per frame) into push(); each viewer gets the init segment, then whole
// fragments starting at a keyframe, so its decoder never sees a frame whose references it missed.
// The hub keeps no per-viewer queue: a viewer's own send buffer (the WebSocket's) is the queue,
// and a viewer that lets it grow loses frames up to the next keyframe instead of falling behind.
import { EventEmitter } from 'node:events';
import { LatencyRing } from '../health/latency-ring';
import { fragmentBaseDecodeTime, fragmentIsKeyframe, liveMime, parseInitSegment, type InitInfo } from '../../../shared/fmp4';
import { Mp4BoxSplitter, type Mp4Box } from './fmp4';

/** The init segment as relayed: parsed facts, its bytes, and the MIME type for MediaSource. */
export interface LiveInit extends InitInfo {
  data: Buffer;
  /** e.g. 'video/mp4; codecs="avc1.64001f"' */
  mime: string;
}

/** One moof+mdat pair: a frame a viewer can append as is. */
export interface LiveFragment {
  data: Buffer;
  keyframe: boolean;
  /** now() when the fragment's last byte reached push(). */
  receivedAt: number;
  /** Decode time in seconds on the stream's own timeline (what video.currentTime shows), when known. */
  mediaTime: number | null;
}

export interface LiveSubscriber {
  send(data: Buffer): void;
  /** Bytes sent but not yet flushed to the viewer (e.g. WebSocket.bufferedAmount). */
  bufferedBytes(): number;
  /** Called just before the init segment's bytes are sent, so the viewer can set up its decoder. */
  onInit?(init: LiveInit): void;
}

export interface StreamHubOptions {
  /** A viewer with more than this buffered stops getting frames until it catches up. */
  maxQueuedBytes?: number;
  now?: () => number;
}

export interface StreamHubStats {
  subscribers: number;
  fragmentsIn: number;
  keyframesIn: number;
  bytesIn: number;
  /** Fragments not sent to some viewer because it was too far behind (one count per viewer). */
  skippedFragments: number;
  lastDataAt: number | null;
  /** now() - receivedAt once each send() of a fragment returned, over the last 2048 sends. */
  latencyMs: { p50: number; p95: number; count: number };
}

export interface StreamHubEvents {
  init: [init: LiveInit];
  fragment: [fragment: LiveFragment];
  /** The bytes are not the fMP4 this hub expects; it discards input until a new init segment. */
  corrupt: [error: Error];
}

const DEFAULT_MAX_QUEUED_BYTES = 4 * 1024 * 1024;
const LATENCY_SAMPLES = 2048;

/**
 * Where a viewer stands: waiting for an init segment, waiting for a keyframe to start from,
 * receiving, or dropping frames until it has drained and a keyframe comes.
 */
type ViewerStage = 'awaiting-init' | 'awaiting-keyframe' | 'live' | 'lagging';

interface Viewer {
  sub: LiveSubscriber;
  stage: ViewerStage;
}

/** Fragments remembered for mapping wall-clock time to media time (a few seconds of video). */
const TIMELINE_POINTS = 64;

export class StreamHub extends EventEmitter<StreamHubEvents> {
  private readonly maxQueuedBytes: number;
  private readonly now: () => number;
  private readonly splitter = new Mp4BoxSplitter();
  private readonly viewers = new Set<Viewer>();
  private current: LiveInit | null = null;
  /** ftyp waiting for its moov. */
  private ftyp: Buffer | null = null;
  /** moof waiting for its mdat. */
  private moof: Buffer | null = null;
  /** Set after a 'corrupt' report so that one bad stretch is reported once, not once per box. */
  private lostSync = false;

  private fragmentsIn = 0;
  private keyframesIn = 0;
  private bytesIn = 0;
  private skippedFragments = 0;
  private lastDataAt: number | null = null;
  private readonly latency = new LatencyRing(LATENCY_SAMPLES);
  private readonly rate = new ByteRate();
  /** Recent (arrival time, media time) pairs of fragments, for mediaTimeAt(). */
  private timeline: { at: number; t: number }[] = [];

  constructor(opts: StreamHubOptions = {}) {
    super();
    this.maxQueuedBytes = opts.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES;
    this.now = opts.now ?? Date.now;
  }

  /** The current init segment, or null until one has arrived since the last reset. */
  get init(): LiveInit | null {
    return this.current;
  }

  /** Feeds bytes from FFmpeg. Never throws on bad input: it reports 'corrupt' instead. */
  push(chunk: Buffer): void {
    const at = this.now();
    this.bytesIn += chunk.length;
    this.lastDataAt = at;
    this.rate.add(at, chunk.length);

    let boxes: Mp4Box[];
    try {
      boxes = this.splitter.push(chunk);
    } catch (error) {
      // Box framing is lost: what follows in this chunk cannot be located, start over.
      this.splitter.reset();
      this.loseSync(asError(error));
      return;
    }
    for (const box of boxes) {
      let outcome: LiveInit | LiveFragment | null;
      try {
        outcome = this.accept(box, at);
      } catch (error) {
        // Boxes out of order or an unreadable moov: framing is intact, so splitting goes on.
        this.loseSync(asError(error));
        continue;
      }
      if (outcome && 'mime' in outcome) this.publishInit(outcome);
      else if (outcome) this.publishFragment(outcome);
    }
  }

  /** The source restarted: forget its init segment and any partial box. Viewers stay. */
  reset(): void {
    this.splitter.reset();
    this.forgetStream();
    this.lostSync = false;
  }

  /** Adds a viewer; returns the function that removes it. */
  subscribe(sub: LiveSubscriber): () => void {
    const viewer: Viewer = { sub, stage: 'awaiting-init' };
    this.viewers.add(viewer);
    if (this.current) this.sendInit(viewer, this.current);
    return () => {
      this.viewers.delete(viewer);
    };
  }

  stats(): StreamHubStats {
    return {
      subscribers: this.viewers.size,
      fragmentsIn: this.fragmentsIn,
      keyframesIn: this.keyframesIn,
      bytesIn: this.bytesIn,
      skippedFragments: this.skippedFragments,
      lastDataAt: this.lastDataAt,
      latencyMs: this.latency.summary(),
    };
  }

  /** Incoming bytes per second over the last windowMs (up to ByteRate's span). */
  /**
   * Where a moment of engine wall-clock time falls on this stream's media timeline: used to
   * draw detections (timed by when their frame left FFmpeg) on the video frame they belong to.
   */
  mediaTimeAt(wallMs: number): number | null {
    let best: { at: number; t: number } | null = null;
    for (const point of this.timeline) {
      if (!best || Math.abs(point.at - wallMs) < Math.abs(best.at - wallMs)) best = point;
    }
    return best ? Math.max(0, best.t + (wallMs - best.at) / 1000) : null;
  }

  bytesPerSecond(windowMs = 5000): number {
    return this.rate.perSecond(this.now(), windowMs);
  }

  /** Takes one top-level box; returns a finished init segment or fragment, if it completes one. */
  private accept(box: Mp4Box, at: number): LiveInit | LiveFragment | null {
    switch (box.type) {
      case 'ftyp':
        // A new stream begins (FFmpeg restarted without a reset): its moov follows.
        this.ftyp = box.data;
        this.moof = null;
        return null;
      case 'moov': {
        const data = this.ftyp ? Buffer.concat([this.ftyp, box.data]) : Buffer.from(box.data);
        this.ftyp = null;
        this.moof = null;
        const info = parseInitSegment(data);
        this.lostSync = false;
        return { ...info, data, mime: liveMime(info) };
      }
      case 'moof':
        if (!this.current) throw new Error('fMP4: moof arrived before any init segment');
        if (this.moof) throw new Error('fMP4: moof arrived while the previous one still waits for its mdat');
        this.moof = box.data;
        return null;
      case 'mdat': {
        if (!this.current) throw new Error('fMP4: mdat arrived before any init segment');
        if (!this.moof) throw new Error('fMP4: mdat arrived without a moof');
        const moof = this.moof;
        this.moof = null;
        const decodeTime = fragmentBaseDecodeTime(moof);
        return {
          data: Buffer.concat([moof, box.data]),
          keyframe: fragmentIsKeyframe(moof, this.current.defaultSampleFlags),
          receivedAt: at,
          mediaTime: decodeTime !== null && this.current.timescale > 0 ? decodeTime / this.current.timescale : null,
        };
      }
      default:
        return null; // styp, sidx, free, mfra...: nothing a live viewer needs
    }
  }

  /**
   * Reports a corrupt stream once and drops the stream state; boxes are then ignored (or the
   * splitter resynchronises from scratch) until the next init segment or reset().
   */
  private loseSync(error: Error): void {
    this.forgetStream();
    if (this.lostSync) return;
    this.lostSync = true;
    this.emit('corrupt', error);
  }

  private forgetStream(): void {
    this.current = null;
    this.timeline = [];
    this.ftyp = null;
    this.moof = null;
    for (const viewer of this.viewers) viewer.stage = 'awaiting-init';
  }

  private publishInit(init: LiveInit): void {
    this.current = init;
    for (const viewer of [...this.viewers]) {
      if (this.viewers.has(viewer)) this.sendInit(viewer, init);
    }
    this.emit('init', init);
  }

  private sendInit(viewer: Viewer, init: LiveInit): void {
    try {
      viewer.sub.onInit?.(init);
      viewer.sub.send(init.data);
      viewer.stage = 'awaiting-keyframe';
    } catch {
      // A viewer that cannot take data is gone; the others must not notice.
      this.viewers.delete(viewer);
    }
  }

  private publishFragment(fragment: LiveFragment): void {
    this.fragmentsIn += 1;
    if (fragment.mediaTime !== null) {
      this.timeline.push({ at: fragment.receivedAt, t: fragment.mediaTime });
      if (this.timeline.length > TIMELINE_POINTS) this.timeline.shift();
    }
    if (fragment.keyframe) this.keyframesIn += 1;
    // A snapshot: a viewer may unsubscribe (itself or another) from inside send().
    for (const viewer of [...this.viewers]) {
      if (this.viewers.has(viewer)) this.deliver(viewer, fragment);
    }
    this.emit('fragment', fragment);
  }

  private deliver(viewer: Viewer, fragment: LiveFragment): void {
    try {
      switch (viewer.stage) {
        case 'awaiting-init':
          return;
        case 'awaiting-keyframe':
          if (!fragment.keyframe) return;
          break;
        case 'lagging':
          // Resume only at a keyframe, and only with room for a few more: otherwise it would
          // start, overflow at once, and stutter between the two.
          if (!fragment.keyframe || viewer.sub.bufferedBytes() >= this.maxQueuedBytes / 2) {
            this.skippedFragments += 1;
            return;
          }
          break;
        case 'live':
          break;
      }
      if (viewer.sub.bufferedBytes() > this.maxQueuedBytes) {
        viewer.stage = 'lagging';
        this.skippedFragments += 1;
        return;
      }
      viewer.sub.send(fragment.data);
      viewer.stage = 'live';
      this.latency.add(this.now() - fragment.receivedAt);
    } catch {
      this.viewers.delete(viewer);
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Bytes received in time slots, kept for the last BUCKETS * BUCKET_MS (30 s). Pushes come per
 * pipe read, hundreds a second: slots keep memory and the sum small.
 */
class ByteRate {
  private static readonly BUCKET_MS = 100;
  private static readonly BUCKETS = 300;
  private readonly starts: number[] = [];
  private readonly bytes: number[] = [];
  private firstAt: number | null = null;

  add(at: number, bytes: number): void {
    this.firstAt ??= at;
    const last = this.starts.length - 1;
    const lastStart = this.starts[last];
    if (lastStart !== undefined && at - lastStart < ByteRate.BUCKET_MS) {
      this.bytes[last] = (this.bytes[last] ?? 0) + bytes;
      return;
    }
    this.starts.push(at);
    this.bytes.push(bytes);
    if (this.starts.length > ByteRate.BUCKETS) {
      this.starts.shift();
      this.bytes.shift();
    }
  }

  perSecond(now: number, windowMs: number): number {
    if (this.firstAt === null || windowMs <= 0) return 0;
    const from = now - windowMs;
    let total = 0;
    this.starts.forEach((start, i) => {
      if (start >= from) total += this.bytes[i] ?? 0;
    });
    // A stream younger than the window is averaged over its age, not diluted by time before it.
    const span = Math.min(windowMs, Math.max(now - this.firstAt, ByteRate.BUCKET_MS));
    return (total * 1000) / span;
  }
}
