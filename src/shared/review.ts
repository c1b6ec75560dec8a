// Review: what the timeline and the recordings player ask of the engine. Times are engine
// wall-clock milliseconds throughout (the same clock as tracks, incidents and segments).
import { z } from 'zod';
import type { Severity } from './rules';
import type { Box } from './detection';

/** Longest range one timeline request may cover: the widest zoom (a week) plus margin. */
export const TIMELINE_MAX_RANGE_MS = 8 * 24 * 3600_000;
/** Most buckets of the density chart per request (one per pixel column is plenty). */
export const TIMELINE_MAX_BUCKETS = 2000;

/** Query of GET /api/cameras/:id/timeline. */
export const TimelineQuerySchema = z
  .strictObject({
    from: z.coerce.number().int().min(0),
    to: z.coerce.number().int().min(0),
    buckets: z.coerce.number().int().min(1).max(TIMELINE_MAX_BUCKETS).default(200),
  })
  .refine((q) => q.to > q.from, { message: 'to must be after from', path: ['to'] })
  .refine((q) => q.to - q.from <= TIMELINE_MAX_RANGE_MS, { message: 'range longer than 8 days', path: ['to'] });
export type TimelineQuery = z.infer<typeof TimelineQuerySchema>;

export interface TimelineIncident {
  id: string;
  ruleName: string;
  type: string;
  severity: Severity;
  state: string;
  startedAt: number;
  endedAt: number | null;
  label: string | null;
}

export interface TimelineBucket {
  /** Bucket start; buckets are `bucketMs` wide and cover [from, to) (at most `buckets` of them: the width is rounded up to a whole ms). */
  at: number;
  /** Tracks seen in the bucket (a track spanning buckets counts in each), by label. */
  count: number;
  byLabel: Record<string, number>;
}

export interface Timeline {
  cameraId: string;
  from: number;
  to: number;
  bucketMs: number;
  /** Spans with recorded footage, clipped to the range; gaps under a quarter of a bucket (at least 1 s) are merged, as the chart could not show them. */
  coverage: { from: number; to: number }[];
  incidents: TimelineIncident[];
  density: TimelineBucket[];
}

/** Query of GET /api/cameras/:id/recordings and GET /api/cameras/:id/tracks. */
export const RangeQuerySchema = z
  .strictObject({
    from: z.coerce.number().int().min(0),
    to: z.coerce.number().int().min(0),
    limit: z.coerce.number().int().min(1).max(5000).default(1000),
  })
  .refine((q) => q.to > q.from, { message: 'to must be after from', path: ['to'] })
  .refine((q) => q.to - q.from <= TIMELINE_MAX_RANGE_MS, { message: 'range longer than 8 days', path: ['to'] });
export type RangeQuery = z.infer<typeof RangeQuerySchema>;

/** One recorded segment file; play it from GET /api/recordings/:segmentId?token=… (video/mp4, Range requests). */
export interface RecordingSegmentView {
  id: number;
  cameraId: string;
  startMs: number;
  endMs: number;
  bytes: number;
}

/** One stored track with its path, for drawing boxes over recorded video. */
export interface ReviewTrack {
  key: string;
  label: string;
  firstSeen: number;
  lastSeen: number;
  bestScore: number;
  /** Pixel size of the frames the boxes are in (scale to the video's size to draw). */
  frameWidth: number;
  frameHeight: number;
  samples: { t: number; box: Box; score: number }[];
}
