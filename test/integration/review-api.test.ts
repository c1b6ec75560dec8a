// Review through the whole engine with real components: a file camera of people walking,
// recorded by its own FFmpeg into segments, analysed by the real detector and tracker, with a
// presence rule raising an incident. Then the review API: the timeline against the segment
// index, the segments served as playable MP4 with Range requests, the stored tracks, and the
// incident's full-frame snapshot.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../src/shared/api';
import type { Incident } from '../../src/shared/incidents';
import type { RecordingSegmentView, ReviewTrack, Timeline } from '../../src/shared/review';
import type { RuleSet } from '../../src/shared/rules';
import type { Segment } from '../../src/main/engine/recording/segments-repo';
import { absoluteSegmentPath } from '../../src/main/engine/recording/segment-layout';
import { modelDir } from '../support/test-media';
import { DEMO_CLIP, startTestEngine, type TestEngine, until } from '../support/test-engine';

let vigil: TestEngine;
let cameraId: string;
let base: string;
let segments: Segment[];
let incident: Incident;
const startedAt = Date.now();

function lowerHalfRule(camera: string): RuleSet {
  return {
    zones: [{ id: 'lower-half', cameraId: camera, name: 'Lower half', kind: 'zone', polygon: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]] }],
    lines: [],
    rules: [{ id: 'person-below', cameraId: camera, name: 'Person below', severity: 'high', enabled: true, schedule: [], timeZone: 'UTC', type: 'presence', classes: ['person'], zoneId: 'lower-half', minScore: 0.3, minDurationMs: 0 }],
  };
}

/** A media request as a <video> element makes it: the token in the query, no Authorization header. */
function media(path: string, init: RequestInit = {}): Promise<Response> {
  const url = new URL(base + path);
  url.searchParams.set('token', vigil.engine.token);
  return fetch(url, init);
}

async function errorOf(response: Response | { status: number; body: unknown }, status: number, code: string): Promise<ApiErrorBody['error']> {
  const body = response instanceof Response ? ((await response.json()) as ApiErrorBody) : (response.body as ApiErrorBody);
  expect(response.status, JSON.stringify(body)).toBe(status);
  expect(body.error.code).toBe(code);
  return body.error;
}

// Asynchronous on purpose: the engine runs in this process, so a synchronous child reading
// from its API would block the very event loop that has to answer it.
const run = promisify(execFile);

async function probe(target: string): Promise<{ codec: string; width: number; height: number; duration: number }> {
  const { stdout: out } = await run('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height:format=duration', '-of', 'json', target], { encoding: 'utf8', timeout: 30_000 });
  const json = JSON.parse(out) as { streams: { codec_name: string; width: number; height: number }[]; format: { duration?: string } };
  return { codec: json.streams[0]!.codec_name, width: json.streams[0]!.width, height: json.streams[0]!.height, duration: Number(json.format.duration ?? 0) };
}

beforeAll(async () => {
  vigil = await startTestEngine({ detection: true, env: { ...process.env, VIGIL_MODEL_PATH: modelDir() } });
  base = `http://127.0.0.1:${vigil.engine.port}`;
  cameraId = (await vigil.addCamera({ name: 'Plaza', mainUrl: pathToFileURL(DEMO_CLIP).href })).id;
  expect((await vigil.api('PUT', `/api/cameras/${cameraId}/rules`, lowerHalfRule(cameraId))).status).toBe(200);
  incident = await until('an incident', async () => (await vigil.api<Incident[]>('GET', `/api/incidents?camera=${cameraId}`)).body[0], 30_000);
  segments = await until('two recorded segments', () => {
    const found = vigil.engine.recording!.segmentsInRange(cameraId, 0, Date.now() + 60_000);
    return found.length >= 2 ? found : null;
  }, 45_000);
});

afterAll(async () => {
  await vigil?.stop();
});

describe('review API on a recorded, analysed camera', () => {
  it('the timeline: coverage as the segment index has it, the incident, and people in the density', async () => {
    const from = startedAt - 60_000;
    const to = segments.at(-1)!.endMs + 1;
    const result = await vigil.api<Timeline>('GET', `/api/cameras/${cameraId}/timeline?from=${from}&to=${to}&buckets=40`);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    const timeline = result.body;
    expect(timeline).toMatchObject({ cameraId, from, to });
    expect(timeline.bucketMs).toBe(Math.ceil((to - from) / 40));
    expect(timeline.density).toHaveLength(40);
    // The same merge as the recording index's own, with the gap the timeline ignores at this zoom.
    const expected = vigil.engine.recording!.repo.coverage(cameraId, from, to, Math.max(1000, Math.floor(timeline.bucketMs / 4))).map((span) => ({ from: span.startMs, to: span.endMs }));
    expect(timeline.coverage).toEqual(expected);
    // Back-to-back segments make one span from the first segment's start to the last one's end.
    expect(timeline.coverage[0]!.from).toBe(segments[0]!.startMs);
    expect(timeline.coverage.at(-1)!.to).toBe(segments.at(-1)!.endMs);
    expect(timeline.incidents.map((i) => i.id)).toContain(incident.id);
    expect(timeline.incidents.find((i) => i.id === incident.id)).toMatchObject({ ruleName: 'Person below', type: 'presence', severity: 'high', label: 'person' });
    expect(timeline.density.some((bucket) => (bucket.byLabel.person ?? 0) > 0)).toBe(true);
    // Nothing before the camera existed.
    expect(timeline.density[0]!.count).toBe(0);
  });

  it('the recordings list matches the index', async () => {
    const result = await vigil.api<RecordingSegmentView[]>('GET', `/api/cameras/${cameraId}/recordings?from=${segments[0]!.startMs}&to=${segments.at(-1)!.endMs}`);
    expect(result.status).toBe(200);
    const listed = result.body.filter((s) => s.id <= segments.at(-1)!.id);
    expect(listed).toEqual(segments.map((s) => ({ id: s.id, cameraId, startMs: s.startMs, endMs: s.endMs, bytes: s.bytes })));
    expect((await vigil.api<RecordingSegmentView[]>('GET', `/api/cameras/${cameraId}/recordings?from=${segments[0]!.startMs}&to=${segments.at(-1)!.endMs}&limit=1`)).body).toHaveLength(1);
  });

  it('serves a segment as playable MP4 with Range requests, the token in the query', async () => {
    const segment = segments[0]!;
    const file = readFileSync(absoluteSegmentPath(vigil.engine.recording!.root, segment.path));
    const whole = await media(`/api/recordings/${segment.id}`);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('content-type')).toBe('video/mp4');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Number(whole.headers.get('content-length'))).toBe(segment.bytes);
    expect(whole.headers.get('x-content-type-options')).toBe('nosniff');
    expect(whole.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(whole.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    expect(Buffer.from(await whole.arrayBuffer()).equals(file)).toBe(true);

    // FFmpeg reads it over HTTP as a player would (it seeks with Range requests).
    const url = `${base}/api/recordings/${segment.id}?token=${vigil.engine.token}`;
    const facts = await probe(url);
    expect(facts).toMatchObject({ codec: 'h264', width: 640, height: 360 });
    expect(Math.abs(facts.duration * 1000 - (segment.endMs - segment.startMs))).toBeLessThan(1_000);
    const decoded = await run('ffmpeg', ['-v', 'error', '-i', url, '-f', 'null', '-'], { encoding: 'utf8', timeout: 30_000 });
    expect(decoded.stderr).toBe('');

    const first = await media(`/api/recordings/${segment.id}`, { headers: { range: 'bytes=0-99' } });
    expect(first.status).toBe(206);
    expect(first.headers.get('content-range')).toBe(`bytes 0-99/${segment.bytes}`);
    expect(Number(first.headers.get('content-length'))).toBe(100);
    expect(Buffer.from(await first.arrayBuffer()).equals(file.subarray(0, 100))).toBe(true);
    const tail = await media(`/api/recordings/${segment.id}`, { headers: { range: 'bytes=-64' } });
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(`bytes ${segment.bytes - 64}-${segment.bytes - 1}/${segment.bytes}`);
    expect(Buffer.from(await tail.arrayBuffer()).equals(file.subarray(-64))).toBe(true);
    const rest = await media(`/api/recordings/${segment.id}`, { headers: { range: `bytes=${segment.bytes - 10}-` } });
    expect(rest.status).toBe(206);
    expect((await rest.arrayBuffer()).byteLength).toBe(10);

    const past = await media(`/api/recordings/${segment.id}`, { headers: { range: `bytes=${segment.bytes}-` } });
    expect(past.headers.get('content-range')).toBe(`bytes */${segment.bytes}`);
    await errorOf(past, 416, 'VALIDATION_FAILED');
    await errorOf(await media(`/api/recordings/${segment.id}`, { headers: { range: 'bytes=50-10' } }), 416, 'VALIDATION_FAILED');

    const head = await media(`/api/recordings/${segment.id}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(Number(head.headers.get('content-length'))).toBe(segment.bytes);
    await errorOf(await fetch(`${base}/api/recordings/${segment.id}`), 401, 'UNAUTHORIZED');
    await errorOf(await media(`/api/recordings/${segment.id}`, { method: 'POST' }), 405, 'METHOD_NOT_ALLOWED');
    await errorOf(await media('/api/recordings/999999'), 404, 'RECORDING_NOT_FOUND');
    await errorOf(await media('/api/recordings/..%2F..%2Fvigil.db'), 404, 'RECORDING_NOT_FOUND');
  });

  it('stored tracks with their paths in frame pixels', async () => {
    const result = await until('tracks stored', async () => {
      const got = await vigil.api<ReviewTrack[]>('GET', `/api/cameras/${cameraId}/tracks?from=${startedAt}&to=${Date.now()}`);
      return got.body.length > 0 ? got : null;
    });
    expect(result.status).toBe(200);
    const people = result.body.filter((t) => t.label === 'person');
    expect(people.length).toBeGreaterThan(0);
    for (const track of people) {
      expect(track.key).toMatch(/^[0-9a-f]{8}:\d+$/);
      expect(track).toMatchObject({ frameWidth: 640, frameHeight: 360 });
      expect(track.lastSeen).toBeGreaterThanOrEqual(track.firstSeen);
      expect(track.samples.length).toBeGreaterThan(0);
      for (const sample of track.samples) {
        expect(sample.t).toBeGreaterThanOrEqual(track.firstSeen);
        expect(sample.t).toBeLessThanOrEqual(track.lastSeen);
        expect(sample.box[2]).toBeGreaterThan(sample.box[0]);
        expect(sample.box[0]).toBeGreaterThanOrEqual(-1);
        expect(sample.box[2]).toBeLessThanOrEqual(641);
      }
    }
  });

  it("the incident's snapshot is a JPEG of the whole analysed frame", async () => {
    const response = await media(`/api/incidents/${incident.id}/snapshot`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const jpeg = Buffer.from(await response.arrayBuffer());
    const stored = join(vigil.dataDir, 'snapshots', 'incidents', `${incident.id}.jpg`);
    expect(jpeg.equals(readFileSync(stored))).toBe(true);
    const facts = await probe(stored);
    expect(facts.codec).toBe('mjpeg');
    // The whole 640x360 picture as the detector analysed it: scaled to the model's 416 px input width.
    expect({ width: facts.width, height: facts.height }).toEqual({ width: 416, height: 234 });
    expect(facts.height / facts.width).toBeCloseTo(360 / 640, 2);
    await errorOf(await media('/api/incidents/no-such-incident/snapshot'), 404, 'RESOURCE_NOT_FOUND');
  });

  it('rejects bad ranges and unknown cameras with their reason codes', async () => {
    const now = Date.now();
    await errorOf(await vigil.api('GET', `/api/cameras/${cameraId}/timeline?to=${now}`), 400, 'VALIDATION_FAILED');
    await errorOf(await vigil.api('GET', `/api/cameras/${cameraId}/timeline?from=${now}&to=${now - 1}`), 400, 'VALIDATION_FAILED');
    await errorOf(await vigil.api('GET', `/api/cameras/${cameraId}/timeline?from=${now - 9 * 86_400_000}&to=${now}`), 400, 'VALIDATION_FAILED');
    await errorOf(await vigil.api('GET', `/api/cameras/${cameraId}/timeline?from=0&to=1&buckets=0`), 400, 'VALIDATION_FAILED');
    await errorOf(await vigil.api('GET', `/api/cameras/${cameraId}/recordings?from=abc&to=1`), 400, 'VALIDATION_FAILED');
    await errorOf(await vigil.api('GET', `/api/cameras/${cameraId}/tracks?from=0&to=1&colour=red`), 400, 'UNKNOWN_FIELD');
    await errorOf(await vigil.api('GET', `/api/cameras/no-such-camera/timeline?from=0&to=1`), 404, 'RESOURCE_NOT_FOUND');
    await errorOf(await vigil.api('POST', `/api/cameras/${cameraId}/timeline?from=0&to=1`, {}), 405, 'METHOD_NOT_ALLOWED');
  });

  it('a segment removed from disk is RECORDING_NOT_FOUND; a deleted camera keeps its history', async () => {
    const segment = segments[0]!;
    rmSync(absoluteSegmentPath(vigil.engine.recording!.root, segment.path));
    await errorOf(await media(`/api/recordings/${segment.id}`), 404, 'RECORDING_NOT_FOUND');

    expect((await vigil.api('DELETE', `/api/cameras/${cameraId}`)).status).toBe(200);
    const after = await vigil.api<Timeline>('GET', `/api/cameras/${cameraId}/timeline?from=${startedAt - 60_000}&to=${Date.now()}&buckets=10`);
    expect(after.status).toBe(200);
    expect(after.body.incidents.map((i) => i.id)).toContain(incident.id);
  });
});
