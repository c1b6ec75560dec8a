// `/api/exports`: evidence export jobs (start, watch, cancel, delete) and the finished folder
// as a ZIP download. The download is a plain link (<a href download>) in the browser, so its
// URL carries the token in the query like the media routes do.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ExportCreateSchema } from '../../../shared/exports';
import type { ExportService } from '../evidence/export-service';
import { planZip, writeZip } from '../evidence/zip-archive';
import type { RouteResult } from './camera-routes';
import { readJson, validate } from './request-body';
import { securityHeaders } from './static-files';

/** 'sent': the archive route answered the request itself. */
export type ExportRouteResult = RouteResult | 'method' | 'sent' | null;

const JOB = /^\/api\/exports\/([^/]{1,64})(\/archive)?$/;

export async function exportRoutes(exports: ExportService, req: IncomingMessage, res: ServerResponse, url: URL, port: number, log: (line: string) => void): Promise<ExportRouteResult> {
  if (url.pathname === '/api/exports') {
    if (req.method === 'GET') return { status: 200, body: exports.list() };
    if (req.method !== 'POST') return 'method';
    return { status: 202, body: exports.create(validate(ExportCreateSchema, await readJson(req))) };
  }
  const match = JOB.exec(url.pathname);
  if (!match) return null;
  const id = match[1]!;
  if (!match[2]) {
    if (req.method === 'GET') return { status: 200, body: exports.get(id) };
    if (req.method === 'DELETE') return { status: 200, body: await exports.remove(id) };
    return 'method';
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return 'method';
  const { fileName, entries } = await exports.archive(id);
  const plan = planZip(entries);
  res.writeHead(200, {
    ...securityHeaders(port),
    'content-type': 'application/zip',
    'content-length': plan.totalBytes,
    // The name is ASCII by construction (archiveFileName), so no encoding games are needed.
    'content-disposition': `attachment; filename="${fileName}"`,
    'cache-control': 'no-store',
  });
  if (req.method === 'HEAD') {
    res.end();
    return 'sent';
  }
  try {
    await writeZip(plan, res);
    res.end();
  } catch (error) {
    // Headers are gone: all that is left is to cut the download short, which the browser
    // reports as failed (the Content-Length was not reached) rather than as a finished file.
    log(`exports: archive of ${id} cut short: ${(error as Error).message}`);
    res.destroy();
  }
  return 'sent';
}
