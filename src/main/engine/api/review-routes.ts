// Review: `/api/cameras/:id/{timeline,recordings,tracks}` (JSON) and the two media routes,
// `/api/recordings/:segmentId` (video/mp4 with Range requests, for <video>) and
// `/api/incidents/:id/snapshot` (image/jpeg, for <img> and alerts). Media elements cannot
// send headers, so their URLs carry the token in the query (access.ts accepts it there).
// Files are streamed from an open descriptor, never read whole: a segment is megabytes, and
// a file retention deletes while it is being sent stays readable until the end.
import { open, type FileHandle } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { ApiErrorBody } from '../../../shared/api';
import { RangeQuerySchema, TimelineQuerySchema } from '../../../shared/review';
import { EngineError } from '../engine-error';
import { parseByteRange } from '../review/byte-range';
import type { ReviewService } from '../review/review-service';
import type { RouteResult } from './camera-routes';
import { validate } from './request-body';
import { securityHeaders } from './static-files';

/** 'sent': a media route answered the request itself (the server must not answer again). */
export type ReviewRouteResult = RouteResult | 'method' | 'sent' | null;

const CAMERA_VIEW = /^\/api\/cameras\/([A-Za-z0-9_-]{1,64})\/(timeline|recordings|tracks)$/;
const RECORDING = /^\/api\/recordings\/([^/]{1,64})$/;
const SNAPSHOT = /^\/api\/incidents\/([A-Za-z0-9-]{1,64})\/snapshot$/;

export async function reviewRoutes(review: ReviewService, req: IncomingMessage, res: ServerResponse, url: URL, port: number): Promise<ReviewRouteResult> {
  const pathname = url.pathname;
  const view = CAMERA_VIEW.exec(pathname);
  if (view) {
    if (req.method !== 'GET') return 'method';
    const [, cameraId, what] = view as unknown as [string, string, 'timeline' | 'recordings' | 'tracks'];
    // The access token may travel in the query; it is no parameter.
    const query = Object.fromEntries([...url.searchParams.entries()].filter(([key]) => key !== 'token'));
    if (what === 'timeline') return { status: 200, body: review.timeline(cameraId, validate(TimelineQuerySchema, query)) };
    const range = validate(RangeQuerySchema, query);
    return { status: 200, body: what === 'recordings' ? review.recordings(cameraId, range) : review.tracks(cameraId, range) };
  }
  const recording = RECORDING.exec(pathname);
  if (recording) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return 'method';
    const id = /^\d{1,15}$/.test(recording[1]!) ? Number(recording[1]) : null;
    const gone = () => new EngineError('RECORDING_NOT_FOUND', `Recording ${recording[1]} is not on disk any more (removed by retention?).`, 404);
    if (id === null) throw gone();
    await sendFile(req, res, review.segmentFile(id), { type: 'video/mp4', ranges: true, port, gone });
    return 'sent';
  }
  const snapshot = SNAPSHOT.exec(pathname);
  if (snapshot) {
    if (req.method !== 'GET' && req.method !== 'HEAD') return 'method';
    const file = await review.snapshotFile(snapshot[1]!);
    await sendFile(req, res, file, { type: 'image/jpeg', ranges: false, port, gone: () => new EngineError('SNAPSHOT_NOT_FOUND', undefined, 404) });
    return 'sent';
  }
  return null;
}

interface SendOptions {
  type: string;
  ranges: boolean;
  port: number;
  /** The error when the file is missing. */
  gone: () => EngineError;
}

async function sendFile(req: IncomingMessage, res: ServerResponse, file: string, options: SendOptions): Promise<void> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') throw options.gone();
    throw error;
  }
  let streaming = false;
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw options.gone();
    const size = stat.size;
    const headers: Record<string, string | number> = {
      ...securityHeaders(options.port),
      'content-type': options.type,
      // A segment or snapshot never changes once written; the token keeps it private.
      'cache-control': 'private, max-age=3600',
      ...(options.ranges ? { 'accept-ranges': 'bytes' } : {}),
    };
    const range = options.ranges ? parseByteRange(req.headers.range, size) : null;
    if (range === 'unsatisfiable') {
      const body: ApiErrorBody = { error: { code: 'VALIDATION_FAILED', message: `The requested byte range (${req.headers.range}) is outside the file's ${size} bytes.` } };
      res.writeHead(416, { ...headers, 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-range': `bytes */${size}` });
      res.end(JSON.stringify(body));
      return;
    }
    const { start, end } = range ?? { start: 0, end: size - 1 };
    const length = Math.max(0, end - start + 1);
    res.writeHead(range ? 206 : 200, { ...headers, 'content-length': length, ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}) });
    if (req.method === 'HEAD' || length === 0) {
      res.end();
      return;
    }
    streaming = true;
    // The stream closes the descriptor at its end or on error. A viewer seeking away aborts
    // the response mid-way: pipeline then destroys both sides, which is all there is to do.
    pipeline(handle.createReadStream({ start, end, autoClose: true }), res, () => undefined);
  } finally {
    if (!streaming) await handle.close().catch(() => undefined);
  }
}
