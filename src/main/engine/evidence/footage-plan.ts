// Which recording segments make up one camera's clip, and how FFmpeg's concat demuxer is
// told to join and trim them. Pure: the segments are whatever the recorder reports.
//
// The clip's timeline is wall-clock time shifted: clip second s shows the moment
// clipStart + s. Each segment's `duration` in the list is the distance to the next
// segment's start, so a gap in the recording stays a gap in the clip (the player holds the
// last picture) instead of silently pulling later footage earlier, and track times in
// tracks.json map to clip time by one subtraction.

export interface RecordingSegment {
  path: string;
  /** Wall-clock ms of the segment's first frame. */
  startMs: number;
  endMs: number;
}

export interface TimeRange {
  from: number;
  to: number;
}

export interface FootagePlan {
  segments: RecordingSegment[];
  /** The ffconcat text: absolute paths, one entry per segment. */
  concatList: string;
  /** Where the clip starts and ends on the list's timeline (the first segment's start is 0), in s. */
  seekS: number;
  untilS: number;
  /** Wall-clock ms the clip covers: the range, narrowed where the footage starts late or ends early. */
  clipStart: number;
  clipEnd: number;
  /** Parts of the clip with footage; what lies between them is a recording gap. */
  coverage: TimeRange[];
}

/** null when no segment overlaps the range. */
export function planFootage(all: readonly RecordingSegment[], range: TimeRange): FootagePlan | null {
  const overlapping = all
    .filter((s) => s.endMs > s.startMs && s.endMs > range.from && s.startMs < range.to)
    .sort((a, b) => a.startMs - b.startMs || b.endMs - a.endMs);
  // A segment inside the one before it (a recorder restart that rewrote a moment) adds nothing.
  const segments: RecordingSegment[] = [];
  for (const segment of overlapping) {
    const last = segments[segments.length - 1];
    if (!last || segment.endMs > last.endMs) segments.push(segment);
  }
  const first = segments[0];
  const last = segments[segments.length - 1];
  if (!first || !last) return null;

  const base = first.startMs;
  const clipStart = Math.max(range.from, base);
  const clipEnd = Math.min(range.to, last.endMs);
  const lines = ['ffconcat version 1.0'];
  segments.forEach((segment, i) => {
    const next = segments[i + 1];
    lines.push(`file ${quoteConcatPath(segment.path)}`);
    if (next) {
      // outpoint drops anything the segment holds past the next one's start (overlapping
      // segments would otherwise put timestamps out of order); duration spans any gap.
      const span = seconds(next.startMs - segment.startMs);
      lines.push(`outpoint ${span}`, `duration ${span}`);
    } else {
      lines.push(`duration ${seconds(segment.endMs - segment.startMs)}`);
    }
  });
  return {
    segments,
    concatList: `${lines.join('\n')}\n`,
    seekS: (clipStart - base) / 1000,
    untilS: (clipEnd - base) / 1000,
    clipStart,
    clipEnd,
    coverage: coverageOf(segments, clipStart, clipEnd),
  };
}

function coverageOf(segments: readonly RecordingSegment[], from: number, to: number): TimeRange[] {
  const merged: TimeRange[] = [];
  for (const segment of segments) {
    const start = Math.max(segment.startMs, from);
    const end = Math.min(segment.endMs, to);
    if (end <= start) continue;
    const last = merged[merged.length - 1];
    if (last && start <= last.to) last.to = Math.max(last.to, end);
    else merged.push({ from: start, to: end });
  }
  return merged;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

/** ffconcat reads a single-quoted string literally; a quote inside ends it, so it is spliced as '\''. */
export function quoteConcatPath(path: string): string {
  return `'${path.replace(/'/g, "'\\''")}'`;
}
