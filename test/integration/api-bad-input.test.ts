// Every bad input through the real HTTP API gets a clear reason code, and none of them
// stops the engine or another camera.
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../src/shared/api';
import { MAX_CAMERAS } from '../../src/shared/cameras';
import { DEMO_CLIP, startTestEngine, type TestEngine } from '../support/test-engine';

let vigil: TestEngine;
let healthyId: string;

beforeAll(async () => {
  vigil = await startTestEngine();
  healthyId = (await vigil.addCamera({ name: 'Healthy', mainUrl: pathToFileURL(DEMO_CLIP).href })).id;
  await vigil.waitForCamera(healthyId, (c) => c.status.state === 'live', 20_000, 'live');
});

afterAll(async () => {
  await vigil?.stop();
});

async function expectError(result: { status: number; body: unknown }, status: number, code: string) {
  expect(result.status).toBe(status);
  const body = result.body as ApiErrorBody;
  expect(body.error.code).toBe(code);
  expect(body.error.message.length).toBeGreaterThan(5);
  return body.error;
}

describe('API bad input', () => {
  it('rejects malformed JSON with BAD_JSON', async () => {
    await expectError(await vigil.api('POST', '/api/cameras', '{"name": "Gate", '), 400, 'BAD_JSON');
  });

  it('rejects a non-JSON content type with UNSUPPORTED_MEDIA_TYPE', async () => {
    await expectError(await vigil.api('POST', '/api/cameras', 'name=Gate', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });

  it('rejects unknown fields with UNKNOWN_FIELD', async () => {
    const error = await expectError(await vigil.api('POST', '/api/cameras', { name: 'Gate', mainUrl: 'rtsp://127.0.0.1/x', admin: true }), 400, 'UNKNOWN_FIELD');
    expect(error.message).toContain('admin');
  });

  it('rejects invalid and unsupported URLs per field', async () => {
    await expectError(await vigil.api('POST', '/api/cameras', { name: 'Gate', mainUrl: 'rtsp://' }), 400, 'URL_INVALID');
    await expectError(await vigil.api('POST', '/api/cameras', { name: 'Gate', mainUrl: 'not a url' }), 400, 'URL_INVALID');
    const error = await expectError(await vigil.api('POST', '/api/cameras', { name: 'Gate', mainUrl: 'ftp://127.0.0.1/cam' }), 400, 'URL_SCHEME_UNSUPPORTED');
    expect(error.issues?.[0]).toMatchObject({ path: 'mainUrl', code: 'URL_SCHEME_UNSUPPORTED' });
  });

  it('rejects absurd resolutions with RESOLUTION_OUT_OF_RANGE', async () => {
    await expectError(
      await vigil.api('POST', '/api/cameras', { name: 'Gate', mainUrl: 'rtsp://127.0.0.1/x', options: { transcodeSize: { width: 100000, height: 3 } } }),
      400,
      'RESOLUTION_OUT_OF_RANGE',
    );
  });

  it('reports mixed problems as VALIDATION_FAILED with one issue per field', async () => {
    const error = await expectError(await vigil.api('POST', '/api/cameras', { name: '', mainUrl: 'ftp://x', extra: 1 }), 400, 'VALIDATION_FAILED');
    expect(error.issues?.map((issue) => issue.code).sort()).toEqual(['UNKNOWN_FIELD', 'URL_SCHEME_UNSUPPORTED', 'VALIDATION_FAILED']);
  });

  it('rejects oversized bodies with PAYLOAD_TOO_LARGE', async () => {
    await expectError(await vigil.api('POST', '/api/cameras', { name: 'x'.repeat(100_000), mainUrl: 'rtsp://127.0.0.1/x' }), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('answers unknown cameras, routes and methods with RESOURCE_NOT_FOUND / METHOD_NOT_ALLOWED', async () => {
    await expectError(await vigil.api('GET', '/api/cameras/does-not-exist'), 404, 'RESOURCE_NOT_FOUND');
    await expectError(await vigil.api('PATCH', '/api/cameras/does-not-exist', { name: 'x' }), 404, 'RESOURCE_NOT_FOUND');
    await expectError(await vigil.api('GET', '/api/nothing-here'), 404, 'RESOURCE_NOT_FOUND');
    await expectError(await vigil.api('PUT', '/api/cameras'), 405, 'METHOD_NOT_ALLOWED');
  });

  it('refuses callers without the token, from foreign origins, or with a foreign Host', async () => {
    await expectError(await vigil.api('GET', '/api/cameras', undefined, { authorization: 'Bearer wrong-token-wrong-token' }), 401, 'UNAUTHORIZED');
    await expectError(await vigil.api('GET', '/api/cameras', undefined, { origin: 'http://evil.example' }), 403, 'FORBIDDEN_ORIGIN');
    const upgrade = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${vigil.engine.port}/api/events?token=wrong`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(upgrade).toBe(401);
    const foreign = await new Promise<number>((resolve) => {
      const ws = new WebSocket(vigil.liveUrl(healthyId), { origin: 'http://evil.example' });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(foreign).toBe(403);
  });

  it('edits keep a stored password when the redacted URL is sent back', async () => {
    const created = await vigil.addCamera({ name: 'Door', mainUrl: 'rtsp://admin:hunter22@127.0.0.1:1/door', enabled: false });
    expect(created.mainUrl).toBe('rtsp://admin:***@127.0.0.1:1/door');
    const updated = await vigil.api<{ mainUrl: string; name: string }>('PATCH', `/api/cameras/${created.id}`, { name: 'Door 2', mainUrl: created.mainUrl });
    expect(updated.body.name).toBe('Door 2');
    expect(vigil.engine.cameras.config(created.id)?.mainUrl).toBe('rtsp://admin:hunter22@127.0.0.1:1/door');
  });

  it(`stops at ${MAX_CAMERAS} cameras with CAMERA_LIMIT`, async () => {
    const existing = ((await vigil.api<unknown[]>('GET', '/api/cameras')).body).length;
    for (let i = existing; i < MAX_CAMERAS; i++) {
      // Disabled, so the test does not start dozens of FFmpeg processes.
      expect((await vigil.api('POST', '/api/cameras', { name: `Spare ${i}`, mainUrl: 'rtsp://127.0.0.1:1/x', enabled: false })).status).toBe(201);
    }
    await expectError(await vigil.api('POST', '/api/cameras', { name: 'One too many', mainUrl: 'rtsp://127.0.0.1:1/x' }), 409, 'CAMERA_LIMIT');
  });

  it('is still healthy, and the healthy camera still live, after all of it', async () => {
    const camera = await vigil.camera(healthyId);
    expect(camera.status.state).toBe('live');
    expect((await vigil.api<{ ok: boolean }>('GET', '/api/health')).body.ok).toBe(true);
  });
});
