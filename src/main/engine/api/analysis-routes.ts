import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { AnalysisService } from '../analysis/analysis-service';
import { EngineError } from '../engine-error';
import type { RouteResult } from './camera-routes';
import { validate } from './request-body';

const UploadQuery = z.strictObject({
  // A display name only: any folders in it are dropped, the file is stored under the job id.
  name: z.string().trim().min(1).max(255).transform((name) => name.split(/[\\/]/).pop() || 'footage'),
  fps: z.coerce.number().int().min(1).max(30).default(5),
});

/** `/api/analysis` and `/api/analysis/:id`; null when the path is not an analysis route. */
export async function analysisRoutes(analysis: AnalysisService | null, req: IncomingMessage, url: URL): Promise<RouteResult | 'method' | null> {
  const pathname = url.pathname;
  const match = /^\/api\/analysis(?:\/([A-Za-z0-9-]{1,64}))?$/.exec(pathname);
  if (!match) return null;
  if (!analysis) throw new EngineError('ANALYSIS_FAILED', 'Footage analysis is not available in this engine.', 503);
  const id = match[1];
  if (id) return req.method === 'GET' ? { status: 200, body: analysis.get(id) } : 'method';
  if (req.method === 'GET') return { status: 200, body: analysis.list() };
  if (req.method !== 'POST') return 'method';
  const type = req.headers['content-type'] ?? '';
  if (!/^(application\/octet-stream|video\/)/i.test(type)) throw new EngineError('UNSUPPORTED_MEDIA_TYPE', 'Send the video file as application/octet-stream.', 415);
  const query = validate(UploadQuery, Object.fromEntries([...url.searchParams.entries()].filter(([key]) => key !== 'token')));
  return { status: 202, body: await analysis.upload(req, query.name, query.fps) };
}
