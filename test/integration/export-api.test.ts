// Evidence export from the app, through the whole engine: a recording camera with the real
// detector raises an incident; the API exports it (progress by event), the archive is
// downloaded, unzipped and verified the way a recipient would; a changed byte is caught;
// running and queued exports cancel without leaving a folder; finished exports survive a
// restart; bad requests get their reason codes.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyExport } from '../../src/main/engine/evidence/verify-export';
import type { EvidenceManifest } from '../../src/main/engine/evidence/evidence-manifest';
import type { ApiErrorBody, EngineEvent } from '../../src/shared/api';
import type { ExportJob } from '../../src/shared/exports';
import type { Incident, IncidentAction } from '../../src/shared/incidents';
import type { RuleSet } from '../../src/shared/rules';
import { modelDir } from '../support/test-media';
import { DEMO_CLIP, startTestEngine, type TestEngine, until } from '../support/test-engine';

let vigil: TestEngine;
let cameraId: string;
let incident: Incident;
let ws: WebSocket;
let scratch: string;
/** The restart test starts a second engine on the first one's data dir, which its stop() leaves. */
let firstDataDir: string;
const events: EngineEvent[] = [];

const engineOptions = () => ({ detection: true, env: { ...process.env, VIGIL_MODEL_PATH: modelDir() } });

function listen(engine: TestEngine): Promise<WebSocket> {
  const socket = new WebSocket(`ws://127.0.0.1:${engine.engine.port}/api/events?token=${engine.engine.token}`);
  socket.on('message', (data) => events.push(JSON.parse(data.toString()) as EngineEvent));
  return new Promise((resolve, reject) => socket.once('open', () => resolve(socket)).once('error', reject));
}

function expectError(result: { status: number; body: unknown }, status: number, code: string): void {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  expect((result.body as ApiErrorBody).error.code, JSON.stringify(result.body)).toBe(code);
}

function probeDuration(file: string): number {
  return Number(execFileSync('ffprobe', ['-v', 'error', '-show_entries', 'format=duration', '-of', 'csv=p=0', file], { encoding: 'utf8' }).trim());
}

/** Pixels of the frame at clip second `s` that are the burn-in's yellow. */
function yellowPixels(file: string, s: number): number {
  const rgb = execFileSync('ffmpeg', ['-v', 'error', '-ss', s.toFixed(3), '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 64 << 20 });
  let count = 0;
  for (let i = 0; i + 2 < rgb.length; i += 3) if (rgb[i]! > 200 && rgb[i + 1]! > 200 && rgb[i + 2]! < 90) count++;
  return count;
}

async function finished(id: string, engine = vigil): Promise<ExportJob> {
  return until(
    `export ${id} to finish`,
    async () => {
      const job = (await engine.api<ExportJob>('GET', `/api/exports/${id}`)).body;
      return job.state === 'queued' || job.state === 'running' ? null : job;
    },
    120_000,
  );
}

async function download(id: string, into: string): Promise<{ folder: string; headers: Headers }> {
  const response = await fetch(`http://127.0.0.1:${vigil.engine.port}/api/exports/${id}/archive?token=${vigil.engine.token}`);
  expect(response.status).toBe(200);
  const zip = Buffer.from(await response.arrayBuffer());
  expect(zip.length).toBe(Number(response.headers.get('content-length')));
  const file = join(into, 'export.zip');
  mkdirSync(into, { recursive: true });
  writeFileSync(file, zip);
  const tested = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
  expect(tested.stdout).toContain('No errors detected');
  execFileSync('unzip', ['-q', file, '-d', into]);
  return { folder: join(into, id), headers: response.headers };
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'vigil-export-api-'));
  vigil = await startTestEngine(engineOptions());
  firstDataDir = vigil.dataDir;
  ws = await listen(vigil);
  cameraId = (await vigil.addCamera({ name: 'Plaza', mainUrl: pathToFileURL(DEMO_CLIP).href, options: { record: true } })).id;
  const rules: RuleSet = {
    zones: [{ id: 'lower-half', cameraId, name: 'Lower half', kind: 'zone', polygon: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]] }],
    lines: [],
    rules: [{ id: 'people', cameraId, name: 'People on the plaza', type: 'presence', classes: ['person'], zoneId: 'lower-half', minScore: 0.3, minDurationMs: 0, severity: 'high', enabled: true, schedule: [], timeZone: 'UTC' }],
  };
  expect((await vigil.api('PUT', `/api/cameras/${cameraId}/rules`, rules)).status).toBe(200);
  incident = await until('an incident', async () => (await vigil.api<Incident[]>('GET', `/api/incidents?camera=${cameraId}`)).body.at(-1), 60_000);
});

afterAll(async () => {
  ws?.close();
  await vigil?.stop();
  rmSync(scratch, { recursive: true, force: true });
  if (firstDataDir) rmSync(firstDataDir, { recursive: true, force: true });
});

describe('export API', () => {
  let job: ExportJob;
  let from: number;
  let to: number;

  it('exports an incident with boxes burned in; the downloaded archive verifies and a changed byte does not', async () => {
    // 18 s of recorded footage that starts between keyframes, once the recorder has it all.
    const first = await until('the first segment', () => vigil.engine.recording!.segmentsInRange(cameraId, 0, Date.now() + 60_000)[0], 40_000);
    from = first.startMs + 1_300;
    to = from + 18_000;
    await until('footage up to the end of the range', () => vigil.engine.recording!.segmentsInRange(cameraId, to, to + 1).length > 0, 60_000);

    const created = await vigil.api<ExportJob>('POST', '/api/exports', { incidentId: incident.id, from, to, title: 'People on the plaza', burnInBoxes: true, who: 'Night Shift' });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    expect(created.body).toMatchObject({ incidentId: incident.id, cameraIds: [cameraId], from, to, burnInBoxes: true, who: 'Night Shift' });
    job = await finished(created.body.id);
    expect(job, JSON.stringify(job)).toMatchObject({ state: 'done', progress: 1, reason: null });
    expect(job.fingerprint).toMatch(/^[0-9a-f]{64}$/);

    // The dialog follows the job by event: queued or running first, progress never backwards, done last.
    const updates = events.flatMap((e) => (e.type === 'export.updated' && e.job.id === job.id ? [e.job] : []));
    expect(updates.at(-1)!.state).toBe('done');
    expect(updates.some((u) => u.state === 'running')).toBe(true);
    const progress = updates.map((u) => u.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));

    const { folder, headers } = await download(job.id, join(scratch, 'download'));
    expect(headers.get('content-type')).toBe('application/zip');
    expect(headers.get('content-disposition')).toBe(`attachment; filename="vigil-evidence-People-on-the-plaza-${job.id}.zip"`);
    const result = await verifyExport(folder, { expectedFingerprint: job.fingerprint! });
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);

    const manifest = result.manifest as EvidenceManifest;
    expect(manifest).toMatchObject({ incidentId: incident.id, exportedBy: 'Night Shift', burnInBoxes: true, video: 'stream-copy' });
    const camera = manifest.cameras[0]!;
    expect(camera.file).toMatch(/^video\/.+\.mp4$/);
    expect(camera.boxesFile).toMatch(/^video\/.+-boxes\.mp4$/);
    expect(manifest.files.map((f) => f.path)).toEqual(expect.arrayContaining([camera.file, camera.boxesFile, 'tracks.json', 'actions.json']));
    // The evidence clip is frame-accurate to the range; the boxes copy plays just as long.
    expect(Math.abs(probeDuration(join(folder, camera.file!)) - 18)).toBeLessThan(0.5);
    expect(Math.abs(probeDuration(join(folder, camera.boxesFile!)) - 18)).toBeLessThan(0.5);
    expect(spawnSync('ffmpeg', ['-v', 'error', '-i', join(folder, camera.boxesFile!), '-f', 'null', '-']).status).toBe(0);

    // A person the detector tracked is drawn in the boxes copy, not in the original.
    const tracks = JSON.parse(readFileSync(join(folder, 'tracks.json'), 'utf8')) as { tracks: { label: string; samples: { t: number }[] }[] };
    const sample = tracks.tracks.flatMap((t) => (t.label === 'person' ? t.samples : [])).find((s) => s.t > camera.clipStart! + 2_000 && s.t < camera.clipEnd! - 2_000);
    expect(sample).toBeDefined();
    const at = (sample!.t - camera.clipStart!) / 1000;
    expect(yellowPixels(join(folder, camera.boxesFile!), at)).toBeGreaterThan(yellowPixels(join(folder, camera.file!), at) + 200);

    // The incident's audit trail is in the folder, and the export is now in the trail.
    const actions = JSON.parse(readFileSync(join(folder, 'actions.json'), 'utf8')) as { actions: { what: string }[] };
    expect(actions.actions[0]!.what).toBe('raised');
    const detail = (await vigil.api<Incident & { actions: IncidentAction[] }>('GET', `/api/incidents/${incident.id}`)).body;
    const audit = detail.actions.find((a) => a.action === 'export');
    expect(audit).toMatchObject({ who: 'Night Shift' });
    expect(audit!.note).toContain(job.id);
    expect(audit!.note).toContain(job.manifestSha256!);

    // One byte of the clip changed after download: the recipient's check names the file.
    const clip = join(folder, camera.file!);
    const bytes = readFileSync(clip);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0xff;
    writeFileSync(clip, bytes);
    const tampered = await verifyExport(folder);
    expect(tampered.ok).toBe(false);
    expect(tampered.problems).toEqual([expect.objectContaining({ code: 'FILE_HASH_MISMATCH', file: camera.file })]);
    // Waits for 20 s of real recording first; more on a busy machine.
  }, 180_000);

  it("exports an incident's default range: 15 s before it began to 15 s after it ended (or now)", async () => {
    const current = (await vigil.api<Incident>('GET', `/api/incidents/${incident.id}`)).body;
    const before = Date.now();
    const created = await vigil.api<ExportJob>('POST', '/api/exports', { incidentId: incident.id, who: 'Night Shift' });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    expect(created.body.from).toBe(current.startedAt - 15_000);
    if (current.endedAt !== null) expect(created.body.to).toBe(current.endedAt + 15_000);
    else {
      expect(created.body.to).toBeGreaterThanOrEqual(before + 15_000);
      expect(created.body.to).toBeLessThanOrEqual(Date.now() + 15_000);
    }
    expect(created.body.title).toContain('People on the plaza');
    const done = await finished(created.body.id);
    expect(done.state, JSON.stringify(done)).toBe('done');
    expect((await verifyExport(join(firstDataDir, 'exports', done.id))).ok).toBe(true);
  });

  it('cancels a running export and a queued one, leaving no folder', async () => {
    const body = { cameraIds: [cameraId], from, to, burnInBoxes: true, who: 'Night Shift' };
    const running = (await vigil.api<ExportJob>('POST', '/api/exports', body)).body;
    const queued = (await vigil.api<ExportJob>('POST', '/api/exports', body)).body;
    expect(running.state).toBe('running');
    expect(queued.state).toBe('queued');
    // Only a finished export can be downloaded.
    expectError(await vigil.api('GET', `/api/exports/${running.id}/archive`), 409, 'EXPORT_NOT_FINISHED');

    const cancelledQueued = await vigil.api<ExportJob>('DELETE', `/api/exports/${queued.id}`);
    expect(cancelledQueued.body).toMatchObject({ state: 'cancelled', reason: 'EXPORT_CANCELLED' });
    const cancelledRunning = await vigil.api<ExportJob>('DELETE', `/api/exports/${running.id}`);
    expect(cancelledRunning.body).toMatchObject({ state: 'cancelled', reason: 'EXPORT_CANCELLED' });
    const exportsDir = join(firstDataDir, 'exports');
    const left = readdirSync(exportsDir).filter((name) => name.startsWith(running.id) || name.startsWith(queued.id));
    expect(left).toEqual([]);
    expect((await vigil.api<ExportJob>('GET', `/api/exports/${running.id}`)).body.state).toBe('cancelled');
  });

  it('refuses bad requests with their reason codes', async () => {
    const now = Date.now();
    expectError(await vigil.api('POST', '/api/exports', { who: 'x' }), 400, 'EXPORT_TARGET_INVALID');
    expectError(await vigil.api('POST', '/api/exports', { cameraIds: [cameraId], from: now, who: 'x' }), 400, 'EXPORT_TARGET_INVALID');
    expectError(await vigil.api('POST', '/api/exports', { cameraIds: [cameraId], from: now, to: now - 1000, who: 'x' }), 400, 'EXPORT_BAD_RANGE');
    expectError(await vigil.api('POST', '/api/exports', { cameraIds: [cameraId], from: now - 25 * 3600_000, to: now, who: 'x' }), 400, 'EXPORT_RANGE_TOO_LONG');
    expectError(await vigil.api('POST', '/api/exports', { cameraIds: [cameraId], from: 1_000, to: 60_000, who: 'x' }), 422, 'EXPORT_NO_FOOTAGE');
    expectError(await vigil.api('POST', '/api/exports', { cameraIds: ['no-such-camera'], from: now - 60_000, to: now, who: 'x' }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await vigil.api('POST', '/api/exports', { incidentId: 'no-such-incident', who: 'x' }), 404, 'RESOURCE_NOT_FOUND');
    expectError(await vigil.api('POST', '/api/exports', { incidentId: incident.id, who: 'x', boxes: true }), 400, 'UNKNOWN_FIELD');
    expectError(await vigil.api('POST', '/api/exports', { incidentId: incident.id }), 400, 'VALIDATION_FAILED');
    expectError(await vigil.api('POST', '/api/exports', 'not json'), 400, 'BAD_JSON');
    expectError(await vigil.api('GET', '/api/exports/no-such-export'), 404, 'RESOURCE_NOT_FOUND');
    expectError(await vigil.api('PUT', '/api/exports'), 405, 'METHOD_NOT_ALLOWED');
  });

  it('lists finished exports again after a restart, removes unfinished folders, and deletes on request', async () => {
    const dataDir = firstDataDir;
    ws.close();
    await vigil.engine.stop();
    // What a crash mid-export leaves: a partial folder under the export's name.
    mkdirSync(join(dataDir, 'exports', '20250101T000000Z-deadbeef.partial', 'video'), { recursive: true });
    vigil = await startTestEngine({ ...engineOptions(), dataDir });
    ws = await listen(vigil);

    const listed = (await vigil.api<ExportJob[]>('GET', '/api/exports')).body;
    const again = listed.find((j) => j.id === job.id);
    expect(again).toMatchObject({ state: 'done', incidentId: incident.id, who: 'Night Shift', fingerprint: job.fingerprint, manifestSha256: job.manifestSha256, files: job.files, bytes: job.bytes, burnInBoxes: true });
    expect(listed.every((j) => j.state === 'done')).toBe(true);
    expect(existsSync(join(dataDir, 'exports', '20250101T000000Z-deadbeef.partial'))).toBe(false);
    const { folder } = await download(job.id, join(scratch, 'after-restart'));
    expect((await verifyExport(folder, { expectedFingerprint: job.fingerprint! })).ok).toBe(true);

    const deleted = await vigil.api<ExportJob>('DELETE', `/api/exports/${job.id}`);
    expect(deleted.status).toBe(200);
    expect(existsSync(join(dataDir, 'exports', job.id))).toBe(false);
    expectError(await vigil.api('GET', `/api/exports/${job.id}`), 404, 'RESOURCE_NOT_FOUND');
  });
});
