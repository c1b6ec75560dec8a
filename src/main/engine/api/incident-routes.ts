// `/api/incidents`: the alarm queue and history, one incident with its audit log, and the
// operators' actions on it.
import type { IncomingMessage } from 'node:http';
import { IncidentActionRequestSchema, IncidentQuerySchema } from '../../../shared/incidents';
import type { IncidentService } from '../incidents/incident-service';
import type { RouteResult } from './camera-routes';
import { readJson, validate } from './request-body';

export async function incidentRoutes(incidents: IncidentService, req: IncomingMessage, url: URL): Promise<RouteResult | 'method' | null> {
  const pathname = url.pathname;
  if (pathname === '/api/incidents') {
    if (req.method !== 'GET') return 'method';
    // The access token may travel in the query; it is no filter.
    const query = validate(IncidentQuerySchema, Object.fromEntries([...url.searchParams.entries()].filter(([key]) => key !== 'token')));
    return { status: 200, body: incidents.list(query) };
  }
  const match = /^\/api\/incidents\/([A-Za-z0-9-]{1,64})(\/actions)?$/.exec(pathname);
  if (!match) return null;
  const id = match[1]!;
  if (!match[2]) return req.method === 'GET' ? { status: 200, body: incidents.get(id) } : 'method';
  if (req.method !== 'POST') return 'method';
  const request = validate(IncidentActionRequestSchema, await readJson(req));
  return { status: 200, body: incidents.act(id, request) };
}
