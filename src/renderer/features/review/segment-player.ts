// Plays one camera's recorded segments on the review clock with two plain <video> elements:
// one shows the segment under the clock, the other holds the next segment loaded, paused at
// its first frame and started just in time, so the hand-over at a boundary shows no gap. Each frame the
// clock's moment is mapped to a segment and an offset in it; the decisions are in sync.ts
// and segments.ts, this class only applies them to the elements.
import type { RecordingSegmentView } from '../../../shared/review';
import type { FrameContext } from './review-loop';
import { CONTIGUOUS_MS, nextCoveredStart, offsetIn, segmentAfter, segmentAt, segmentSpans } from './segments';
import { decideSync, type PlayerFrame } from './sync';
import type { TimeRange } from './time-scale';

const HAVE_METADATA = 1;
/** Segments are listed once closed: the newest ~10 s (plus indexing) are not playable yet. */
const OPEN_SEGMENT_MS = 25_000;
/** About how long (wall ms) a paused element takes to show its first frame after play(). */
const PRESTART_MS = 180;
const HAVE_FUTURE_DATA = 3;

interface Slot {
  video: HTMLVideoElement;
  segment: RecordingSegmentView | null;
  /** Offset to seek to once metadata is in (seeking before it is unreliable). */
  pendingSeek: number | null;
  lastSeekAt: number;
}

export type PlayerStatus =
  | { state: 'loading' }
  | { state: 'playing'; segmentId: number }
  /** recent: the moment is so close to now that its segment is still being written. */
  | { state: 'gap'; recent: boolean }
  | { state: 'error'; code: string };

export interface SegmentPlayerOptions {
  videos: [HTMLVideoElement, HTMLVideoElement];
  /** The media URL of a segment (same origin, token in the query). */
  urlFor(segmentId: number): string;
  /** data-testid of the element on screen, so tests find the one playing. */
  testId: string;
  onStatus(status: PlayerStatus): void;
}

export class SegmentPlayer {
  private readonly slots: [Slot, Slot];
  private active: 0 | 1 = 0;
  private segments: readonly RecordingSegmentView[] = [];
  /** The stretch the segment list is for: outside it a new list is still loading. */
  private listed: TimeRange | null = null;
  private coverage: readonly TimeRange[] = [];
  /** Segments the element could not play (deleted by retention, damaged): treated as gaps. */
  private readonly failed = new Set<number>();
  private status: PlayerStatus = { state: 'loading' };
  private waitingSince: number | null = null;
  private lastJump = -1;
  private readonly cleanup: (() => void)[] = [];

  constructor(private readonly options: SegmentPlayerOptions) {
    this.slots = options.videos.map((video) => ({ video, segment: null, pendingSeek: null, lastSeekAt: -Infinity })) as [Slot, Slot];
    for (const slot of this.slots) {
      const video = slot.video;
      video.muted = true;
      video.playsInline = true;
      video.preload = 'auto';
      const onMeta = () => {
        if (slot.pendingSeek !== null) {
          video.currentTime = slot.pendingSeek;
          slot.pendingSeek = null;
          slot.lastSeekAt = performance.now();
        }
      };
      const onError = () => {
        if (slot.segment) this.failed.add(slot.segment.id);
        const code = video.error ? `MEDIA_ERR_${video.error.code}` : 'MEDIA_ERR';
        slot.segment = null;
        video.removeAttribute('src');
        if (slot === this.slots[this.active]) this.setStatus({ state: 'error', code });
      };
      video.addEventListener('loadedmetadata', onMeta);
      video.addEventListener('error', onError);
      this.cleanup.push(() => {
        video.removeEventListener('loadedmetadata', onMeta);
        video.removeEventListener('error', onError);
      });
    }
    this.present();
  }

  /**
   * The segments of the stretch `listed` (null: none yet). A moment outside it waits for the
   * next list instead of counting as a gap; `Infinity` bounds say the list is all there is
   * (it failed to load: the player shows why and the clock does not wait for it).
   */
  setSegments(segments: readonly RecordingSegmentView[], listed: TimeRange | null): void {
    this.segments = segments;
    this.listed = listed;
  }

  /** The timeline's coverage (wider than the segment window): where footage resumes after a long gap. */
  setCoverage(coverage: readonly TimeRange[]): void {
    this.coverage = coverage;
  }

  /** The element on screen. */
  get video(): HTMLVideoElement {
    return this.slots[this.active].video;
  }

  /** Wall time of the picture on screen, or null in a gap (for drawing stored boxes). */
  mediaWallTime(): number | null {
    const slot = this.slots[this.active];
    if (!slot.segment || this.status.state !== 'playing' || slot.video.readyState < HAVE_METADATA) return null;
    return slot.segment.startMs + slot.video.currentTime * 1000;
  }

  frame(ctx: FrameContext): PlayerFrame {
    const jumped = ctx.jump !== this.lastJump;
    this.lastJump = ctx.jump;
    const segment = segmentAt(this.segments, ctx.t, this.failed);
    const upcoming = segmentAfter(this.segments, ctx.t, this.failed);
    if (!segment) {
      const active = this.slots[this.active].video;
      if (!active.paused) active.pause();
      // A hair's gap before the next segment: keep its element ready to start on time.
      if (upcoming && upcoming.startMs - ctx.t <= CONTIGUOUS_MS) this.tendStandby(ctx, upcoming);
      if (!this.listed || ctx.t < this.listed.from || ctx.t >= this.listed.to) return this.wait(ctx.now, { state: 'loading' });
      this.waitingSince = null;
      // The segment list is exact within its stretch; past it, the timeline's coverage knows more.
      const nextStart = nextCoveredStart(ctx.t, segmentSpans(this.segments, this.failed)) ?? nextCoveredStart(ctx.t, this.coverage);
      if (this.status.state !== 'error') this.setStatus({ state: 'gap', recent: nextStart === null && Date.now() - ctx.t < OPEN_SEGMENT_MS });
      return { state: 'gap', nextStart };
    }

    let slot = this.slots[this.active];
    if (slot.segment?.id !== segment.id) {
      const standby = this.slots[this.active === 0 ? 1 : 0];
      if (standby.segment?.id === segment.id && standby.video.readyState >= HAVE_METADATA) {
        slot.video.pause();
        this.active = this.active === 0 ? 1 : 0;
        this.present();
      } else {
        this.load(slot, segment, offsetIn(segment, ctx.t));
      }
      slot = this.slots[this.active];
    }

    const video = slot.video;
    if (video.readyState < HAVE_METADATA || slot.pendingSeek !== null) return this.wait(ctx.now, { state: 'loading' });
    const action = decideSync({
      target: offsetIn(segment, ctx.t),
      current: video.currentTime,
      duration: video.duration,
      // Held for another player: tolerate playing-size drift, so a short hold costs no seek.
      playing: ctx.playing || ctx.holding,
      rate: ctx.rate,
      seeking: video.seeking,
      ended: video.ended,
      msSinceSeek: jumped ? Infinity : ctx.now - slot.lastSeekAt,
    });
    if (action.kind === 'seek') {
      video.currentTime = action.to;
      slot.lastSeekAt = ctx.now;
    }
    if (video.playbackRate !== action.rate) video.playbackRate = action.rate;
    if (ctx.playing && video.paused && !video.ended) video.play().catch(() => undefined);
    else if (!ctx.playing && !video.paused) video.pause();
    if (upcoming && upcoming.startMs - segment.endMs <= CONTIGUOUS_MS) this.tendStandby(ctx, upcoming);

    // At its end an element may drop below HAVE_FUTURE_DATA: that is not loading, the clock moves on.
    const atEnd = video.ended || (Number.isFinite(video.duration) && video.currentTime >= video.duration - 0.1);
    if (video.seeking || (video.readyState < HAVE_FUTURE_DATA && !atEnd)) return this.wait(ctx.now, { state: 'playing', segmentId: segment.id });
    this.waitingSince = null;
    this.setStatus({ state: 'playing', segmentId: segment.id });
    return { state: 'playing' };
  }

  destroy(): void {
    for (const off of this.cleanup) off();
    for (const slot of this.slots) {
      slot.video.pause();
      slot.video.removeAttribute('src');
      slot.video.load(); // lets go of the connection and the decoder
    }
  }

  private wait(now: number, status: PlayerStatus): PlayerFrame {
    this.waitingSince ??= now;
    this.setStatus(status);
    return { state: 'waiting', since: this.waitingSince };
  }

  /**
   * The hidden element holds the segment that comes next, paused at its start. Just before
   * the hand-over (by about the time an element takes to start) it is set playing, so its
   * first frame is on time rather than a few frames late; paused again if the clock stops.
   */
  private tendStandby(ctx: FrameContext, next: RecordingSegmentView): void {
    const standby = this.slots[this.active === 0 ? 1 : 0];
    if (standby.segment?.id !== next.id) {
      this.load(standby, next, 0);
      return;
    }
    const video = standby.video;
    if (standby.pendingSeek !== null || video.readyState < HAVE_FUTURE_DATA) return;
    const due = ctx.playing && next.startMs - ctx.t <= PRESTART_MS * ctx.rate;
    if (due) {
      if (video.paused) {
        video.playbackRate = ctx.rate;
        video.play().catch(() => undefined);
      }
    } else if (!video.paused || video.currentTime > 0.05) {
      video.pause();
      if (video.currentTime > 0.05) video.currentTime = 0;
    }
  }

  private load(slot: Slot, segment: RecordingSegmentView, offset: number): void {
    slot.segment = segment;
    slot.pendingSeek = offset;
    slot.video.pause();
    slot.video.src = this.options.urlFor(segment.id);
    slot.video.dataset.segmentId = String(segment.id);
  }

  /** Shows the active element and hides the other; the test id follows the one on screen. */
  private present(): void {
    this.slots.forEach((slot, i) => {
      const on = i === this.active;
      slot.video.className = on ? 'review-video' : 'review-video standby';
      if (on) slot.video.setAttribute('data-testid', this.options.testId);
      else slot.video.removeAttribute('data-testid');
    });
  }

  private setStatus(status: PlayerStatus): void {
    const prev = this.status;
    if (JSON.stringify(prev) === JSON.stringify(status)) return;
    this.status = status;
    this.options.onStatus(status);
  }
}
