import type { IncomingMessage } from 'node:http';
import { CameraCreateSchema, CameraUpdateSchema } from '../../../shared/cameras';
import type { CameraService } from '../cameras/camera-service';
import { readJson, validate } from './request-body';

export interface RouteResult {
  status: number;
  body: unknown;
}

/** `/api/cameras` and `/api/cameras/:id`; null when the path is not a camera route. */
export async function cameraRoutes(cameras: CameraService, req: IncomingMessage, pathname: string): Promise<RouteResult | 'method' | null> {
  if (pathname === '/api/cameras') {
    if (req.method === 'GET') return { status: 200, body: cameras.list() };
    if (req.method === 'POST') {
      const input = validate(CameraCreateSchema, await readJson(req));
      const [created] = cameras.create([{ ...input, subUrl: input.subUrl ?? null }]);
      return { status: 201, body: created };
    }
    return 'method';
  }
  const match = /^\/api\/cameras\/([A-Za-z0-9-]{1,64})$/.exec(pathname);
  if (!match) return null;
  const id = match[1]!;
  if (req.method === 'GET') return { status: 200, body: cameras.get(id) };
  if (req.method === 'PATCH') {
    const changes = validate(CameraUpdateSchema, await readJson(req));
    return { status: 200, body: await cameras.update(id, changes) };
  }
  if (req.method === 'DELETE') {
    await cameras.remove(id);
    return { status: 200, body: { deleted: id } };
  }
  return 'method';
}
