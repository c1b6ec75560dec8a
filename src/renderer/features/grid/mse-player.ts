// One live camera stream in one <video>: a WebSocket of fMP4 fragments fed through
// MediaSource/SourceBuffer, kept well under a second behind live. Framework-free; the tile
// component creates one and destroys it on unmount.
//
// Protocol (src/shared/api.ts): text LiveHello, binary init segment, binary fragments (one
// frame each, from a keyframe). A new LiveHello means the source restarted: the next init
// segment rebuilds the MediaSource.
import type { LiveHello } from '../../../shared/api';
import type { LiveStreamInfo } from '../../../shared/cameras';
import { fragmentBaseDecodeTime, isInitSegment, liveMime, parseInitSegment, type InitInfo } from '../../../shared/fmp4';
import { backoffDelay } from '../../api/backoff';
import {
  decideCatchUp,
  isAdvancing,
  isTimestampJump,
  latency,
  planEmergencyTrim,
  planTrim,
  trackAdvance,
  type AdvanceTracker,
  type Range,
} from './catchup';
import type { PlayerState } from './tile-state';

export type { PlayerState } from './tile-state';

export interface PlayerStats {
  /** Seconds from the playhead to the newest buffered frame; null before video. */
  latencySeconds: number | null;
  decodedFrames: number;
  droppedFrames: number;
  bytesReceived: number;
  fragmentsReceived: number;
  /** MediaSource rebuilds (source restarts, timestamp jumps, quota failures). */
  resets: number;
  /** Seconds of video currently held in the SourceBuffer. */
  bufferedSeconds: number;
  queued: number;
}

export interface MsePlayerOptions {
  video: HTMLVideoElement;
  /** Live WebSocket URL (`ApiClient.liveUrl`). */
  url: string;
  /** Element whose visibility decides whether the stream runs (default: the video). */
  observe?: Element;
  onState?: (state: PlayerState, code: string | null) => void;
  onStream?: (info: LiveStreamInfo) => void;
}

const TICK_MS = 250;
/** Fragments waiting for the SourceBuffer before we give up and reconnect (at a keyframe). */
const MAX_QUEUE = 240;
const RETRY_AFTER_ERROR_MS = 30_000;

function toRanges(buffered: TimeRanges): Range[] {
  const ranges: Range[] = [];
  for (let i = 0; i < buffered.length; i++) ranges.push({ start: buffered.start(i), end: buffered.end(i) });
  return ranges;
}

/** The init segment's facts, or null when it cannot be read (the hello's mime may still do). */
function readInit(init: Uint8Array): InitInfo | null {
  try {
    return parseInitSegment(init);
  } catch {
    return null;
  }
}

/** A fragment's decode time in timescale ticks, or null when it has none or cannot be read. */
function readDecodeTicks(fragment: Uint8Array): number | null {
  try {
    return fragmentBaseDecodeTime(fragment);
  } catch {
    return null;
  }
}

function reasonFromClose(reason: string): string | null {
  return /^[A-Z][A-Z0-9_]{2,}$/.test(reason) ? reason : null;
}

export class MsePlayer {
  private readonly video: HTMLVideoElement;
  private readonly url: string;
  private readonly onState: MsePlayerOptions['onState'];
  private readonly onStream: MsePlayerOptions['onStream'];

  private ws: WebSocket | null = null;
  private mediaSource: MediaSource | null = null;
  private sourceBuffer: SourceBuffer | null = null;
  private objectUrl: string | null = null;
  /** Bumped on every MediaSource rebuild; callbacks from an older one are ignored. */
  private generation = 0;
  private queue: ArrayBuffer[] = [];
  private pendingRemove: Range | null = null;
  private quotaRetryPending = false;

  private helloMime: string | null = null;
  private mime: string | null = null;
  private initSegment: ArrayBuffer | null = null;
  private awaitingInit = true;
  private timescale: number | null = null;
  private lastDecodeSeconds: number | null = null;
  private startedPlayback = false;

  private attempt = 0;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private tickTimer: ReturnType<typeof setInterval> | null = null;
  private tracker: AdvanceTracker = { lastTime: 0, lastAdvanceAt: null };
  private everLive = false;
  private fatalCode: string | null = null;

  private intersecting: boolean;
  private pageVisible: boolean;
  private readonly observer: IntersectionObserver | null = null;
  private destroyed = false;

  private state: PlayerState | null = null;
  private stateCode: string | null = null;
  private counters = { bytes: 0, fragments: 0, resets: 0 };

  constructor(options: MsePlayerOptions) {
    this.video = options.video;
    this.url = options.url;
    this.onState = options.onState;
    this.onStream = options.onStream;
    this.video.muted = true;
    this.video.playsInline = true;
    this.pageVisible = document.visibilityState !== 'hidden';
    document.addEventListener('visibilitychange', this.onVisibilityChange);
    this.video.addEventListener('error', this.onVideoError);
    if (typeof IntersectionObserver === 'function') {
      this.intersecting = false; // the first callback (right after observe) says
      this.observer = new IntersectionObserver((entries) => {
        const last = entries[entries.length - 1];
        if (last) this.intersecting = last.isIntersecting;
        this.update();
      });
      this.observer.observe(options.observe ?? this.video);
    } else {
      this.intersecting = true;
    }
    this.setState('connecting', null);
    this.update();
  }

  /** Stops everything for good; the element is left empty. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    document.removeEventListener('visibilitychange', this.onVisibilityChange);
    this.video.removeEventListener('error', this.onVideoError);
    this.observer?.disconnect();
    this.suspend();
  }

  stats(): PlayerStats {
    const ranges = this.bufferedRanges();
    const quality = typeof this.video.getVideoPlaybackQuality === 'function' ? this.video.getVideoPlaybackQuality() : null;
    return {
      latencySeconds: latency(ranges, this.video.currentTime),
      decodedFrames: quality ? quality.totalVideoFrames - quality.droppedVideoFrames : 0,
      droppedFrames: quality ? quality.droppedVideoFrames : 0,
      bytesReceived: this.counters.bytes,
      fragmentsReceived: this.counters.fragments,
      resets: this.counters.resets,
      bufferedSeconds: ranges.reduce((sum, r) => sum + (r.end - r.start), 0),
      queued: this.queue.length,
    };
  }

  /** A decode error kills the element's MediaSource: start over from a keyframe. */
  private readonly onVideoError = () => {
    if (this.mediaSource && this.objectUrl && this.video.src === this.objectUrl) this.reconnectNow();
  };

  // ---- visibility -------------------------------------------------------------------------

  private readonly onVisibilityChange = () => {
    this.pageVisible = document.visibilityState !== 'hidden';
    this.update();
  };

  private get active(): boolean {
    return !this.destroyed && this.intersecting && this.pageVisible;
  }

  /** Runs the stream while visible; closes the socket and frees the decoder otherwise. */
  private update(): void {
    if (this.active) {
      if (!this.ws && !this.reconnectTimer) this.connect();
    } else if (this.ws || this.reconnectTimer || this.mediaSource) {
      this.suspend();
      if (!this.destroyed) this.setState('connecting', null);
    }
  }

  private suspend(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.stopTick();
    this.closeSocket();
    this.releaseMedia();
    this.awaitingInit = true;
    this.attempt = 0;
    this.fatalCode = null;
    this.tracker = { lastTime: 0, lastAdvanceAt: null };
  }

  // ---- socket -----------------------------------------------------------------------------

  private connect(): void {
    this.reconnectTimer = null;
    if (!this.active) return;
    this.fatalCode = null;
    this.awaitingInit = true;
    this.helloMime = null;
    if (this.state !== 'error') this.setState(this.everLive || this.attempt > 0 ? 'reconnecting' : 'connecting', this.stateCode);
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url);
    } catch {
      this.scheduleReconnect(null);
      return;
    }
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    ws.onmessage = (msg: MessageEvent<string | ArrayBuffer>) => {
      if (this.ws !== ws) return;
      if (typeof msg.data === 'string') this.onText(msg.data);
      else this.onBinary(msg.data);
    };
    ws.onclose = (ev) => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.scheduleReconnect(reasonFromClose(ev.reason));
    };
    this.startTick();
  }

  private closeSocket(): void {
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    ws.onmessage = null;
    ws.onclose = null;
    try {
      ws.close();
    } catch {
      // already closed
    }
  }

  private scheduleReconnect(code: string | null): void {
    if (!this.active || this.reconnectTimer) return;
    if (this.fatalCode) {
      this.reconnectTimer = setTimeout(() => this.connect(), RETRY_AFTER_ERROR_MS);
      return;
    }
    this.setState('reconnecting', code);
    this.reconnectTimer = setTimeout(() => this.connect(), backoffDelay(this.attempt++));
  }

  /** Closes the socket and reconnects at once: the server restarts us at a keyframe. */
  private reconnectNow(): void {
    this.closeSocket();
    this.releaseMedia();
    this.scheduleReconnect(null);
  }

  private fail(code: string): void {
    this.fatalCode = code;
    this.setState('error', code);
    this.closeSocket();
    this.releaseMedia();
    this.scheduleReconnect(code);
  }

  private onText(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      return;
    }
    if (!msg || typeof msg !== 'object') return;
    const hello = msg as Partial<LiveHello> & { error?: { code?: unknown } };
    if (hello.type === 'live.hello' && hello.stream) {
      // Source (re)started: the next binary message is a new init segment.
      this.awaitingInit = true;
      this.helloMime = hello.stream.mime ?? null;
      this.onStream?.(hello.stream);
      if (this.helloMime && !this.isSupported(this.helloMime)) this.fail('UNSUPPORTED_CODEC');
      return;
    }
    if (hello.error && typeof hello.error.code === 'string') this.setState('reconnecting', hello.error.code);
  }

  private isSupported(mime: string): boolean {
    return typeof MediaSource !== 'undefined' && MediaSource.isTypeSupported(mime);
  }

  private onBinary(data: ArrayBuffer): void {
    this.counters.bytes += data.byteLength;
    const bytes = new Uint8Array(data);
    if (this.awaitingInit || isInitSegment(bytes)) {
      this.onInit(data, bytes);
      return;
    }
    if (!this.mediaSource) return; // no init yet: wait for one
    this.counters.fragments++;
    if (this.counters.fragments > 1) this.attempt = 0;
    const ticks = readDecodeTicks(bytes);
    const seconds = ticks !== null && this.timescale ? ticks / this.timescale : null;
    if (isTimestampJump(this.lastDecodeSeconds, seconds) && this.initSegment && this.mime) {
      // Timestamps went back without a new hello: rebuild and continue from this fragment.
      this.lastDecodeSeconds = seconds;
      this.startMedia(this.mime, this.initSegment);
      this.queue.push(data);
      return;
    }
    if (seconds !== null) this.lastDecodeSeconds = seconds;
    if (this.queue.length >= MAX_QUEUE) {
      this.reconnectNow();
      return;
    }
    this.queue.push(data);
    this.pump();
  }

  private onInit(data: ArrayBuffer, bytes: Uint8Array): void {
    if (!isInitSegment(bytes)) return; // stray fragment before the init segment
    this.awaitingInit = false;
    const info = readInit(bytes);
    const mime = this.helloMime ?? (info ? liveMime(info) : null);
    if (!mime || !this.isSupported(mime)) {
      this.fail('UNSUPPORTED_CODEC');
      return;
    }
    this.initSegment = data;
    this.mime = mime;
    this.timescale = info && info.timescale > 0 ? info.timescale : null;
    this.lastDecodeSeconds = null;
    this.startMedia(mime, data);
  }

  // ---- media ------------------------------------------------------------------------------

  private startMedia(mime: string, init: ArrayBuffer): void {
    if (this.mediaSource) this.counters.resets++;
    this.releaseMedia();
    const generation = ++this.generation;
    const mediaSource = new MediaSource();
    this.mediaSource = mediaSource;
    this.objectUrl = URL.createObjectURL(mediaSource);
    this.queue = [init];
    this.startedPlayback = false;
    this.tracker = { lastTime: 0, lastAdvanceAt: this.tracker.lastAdvanceAt };
    mediaSource.addEventListener(
      'sourceopen',
      () => {
        if (generation !== this.generation) return;
        let sourceBuffer: SourceBuffer;
        try {
          sourceBuffer = mediaSource.addSourceBuffer(mime);
        } catch {
          this.fail('UNSUPPORTED_CODEC');
          return;
        }
        this.sourceBuffer = sourceBuffer;
        sourceBuffer.addEventListener('updateend', () => {
          if (generation === this.generation) this.onUpdateEnd();
        });
        sourceBuffer.addEventListener('error', () => {
          // A decode/append error: the data cannot be trusted; start over from a keyframe.
          if (generation === this.generation) this.reconnectNow();
        });
        this.pump();
      },
      { once: true },
    );
    this.video.src = this.objectUrl;
  }

  private releaseMedia(): void {
    this.generation++;
    const mediaSource = this.mediaSource;
    this.mediaSource = null;
    this.sourceBuffer = null;
    this.queue = [];
    this.pendingRemove = null;
    this.quotaRetryPending = false;
    this.startedPlayback = false;
    if (mediaSource) {
      if (mediaSource.readyState === 'open') {
        try {
          mediaSource.endOfStream();
        } catch {
          // updating: dropping the element's source below detaches it anyway
        }
      }
      this.video.removeAttribute('src');
      this.video.load();
    }
    if (this.objectUrl) URL.revokeObjectURL(this.objectUrl);
    this.objectUrl = null;
  }

  private bufferedRanges(): Range[] {
    try {
      return this.sourceBuffer && this.mediaSource?.readyState === 'open' ? toRanges(this.sourceBuffer.buffered) : [];
    } catch {
      return [];
    }
  }

  /** Feeds the SourceBuffer one operation at a time: never while it is updating. */
  private pump(): void {
    const sb = this.sourceBuffer;
    if (!sb || sb.updating || this.mediaSource?.readyState !== 'open') return;
    const trim = this.pendingRemove ?? (this.startedPlayback ? planTrim(this.bufferedRanges(), this.video.currentTime) : null);
    this.pendingRemove = null;
    if (trim) {
      try {
        sb.remove(trim.start, trim.end);
        return;
      } catch {
        // fall through to appending
      }
    }
    const chunk = this.queue.shift();
    if (!chunk) return;
    try {
      sb.appendBuffer(chunk);
      this.quotaRetryPending = false;
    } catch (err) {
      if ((err as DOMException).name === 'QuotaExceededError') {
        this.queue.unshift(chunk);
        const free = planEmergencyTrim(this.bufferedRanges(), this.video.currentTime);
        if (free && !this.quotaRetryPending) {
          // Free the played part, then retry this chunk after the removal's updateend.
          this.quotaRetryPending = true;
          this.pendingRemove = free;
          this.pump();
        } else {
          this.quotaRetryPending = false;
          this.reconnectNow();
        }
        return;
      }
      this.reconnectNow();
    }
  }

  private onUpdateEnd(): void {
    if (!this.startedPlayback) {
      const first = this.bufferedRanges()[0];
      if (first) {
        this.startedPlayback = true;
        this.video.currentTime = first.start;
        this.tracker = { lastTime: first.start, lastAdvanceAt: this.tracker.lastAdvanceAt };
        this.play();
      }
    }
    this.pump();
  }

  private play(): void {
    const p = this.video.play();
    if (p) p.catch(() => undefined); // retried on the next tick
  }

  // ---- live edge --------------------------------------------------------------------------

  private startTick(): void {
    if (!this.tickTimer) this.tickTimer = setInterval(() => this.tick(), TICK_MS);
  }

  private stopTick(): void {
    if (this.tickTimer) clearInterval(this.tickTimer);
    this.tickTimer = null;
  }

  private tick(): void {
    const now = performance.now();
    const video = this.video;
    if (this.sourceBuffer && this.startedPlayback) {
      const decision = decideCatchUp(this.bufferedRanges(), video.currentTime, video.playbackRate);
      if (decision.kind === 'seek') {
        video.currentTime = decision.to;
        video.playbackRate = 1.0;
        this.tracker = { lastTime: decision.to, lastAdvanceAt: this.tracker.lastAdvanceAt };
      } else if (decision.kind === 'rate') {
        video.playbackRate = decision.rate;
      }
      if (video.paused) this.play();
      if (!this.sourceBuffer.updating) this.pump();
    }
    this.tracker = trackAdvance(this.tracker, video.currentTime, now, video.paused || !this.startedPlayback);
    if (this.fatalCode) return;
    if (this.ws && isAdvancing(this.tracker, now)) {
      this.everLive = true;
      this.setState('live', null);
    } else if (this.state === 'live') {
      this.setState('reconnecting', null);
    }
  }

  private setState(state: PlayerState, code: string | null): void {
    if (state === this.state && code === this.stateCode) return;
    this.state = state;
    this.stateCode = code;
    this.onState?.(state, code);
  }
}
