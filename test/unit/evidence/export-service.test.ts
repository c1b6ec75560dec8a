// The export job queue on real parts: SQLite (recording index, tracks, incidents), real
// FFmpeg on recorder-like segments of the demo clip, the real exporter and signing key.
// Only the camera lookup is a one-liner.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExportService } from '../../../src/main/engine/evidence/export-service';
import { loadOrCreateInstallationKey } from '../../../src/main/engine/evidence/installation-key';
import { IncidentService } from '../../../src/main/engine/incidents/incident-service';
import { IncidentsRepo } from '../../../src/main/engine/incidents/incidents-repo';
import { RecordingService } from '../../../src/main/engine/recording/recording-service';
import { SecretBox } from '../../../src/main/engine/secrets/secret-box';
import { openDatabase, type Db } from '../../../src/main/engine/store/database';
import { TracksRepo } from '../../../src/main/engine/store/tracks-repo';
import type { EngineEvent } from '../../../src/shared/api';
import type { ExportJob } from '../../../src/shared/exports';
import { EngineError } from '../../../src/main/engine/engine-error';
import { DEMO_CLIP } from '../../support/test-engine';

const T0 = Date.UTC(2025, 2, 14, 9, 0, 0);
const CAMERA = 'cam-1';
let dir: string;
let db: Db;
let recording: RecordingService;
let incidents: IncidentService;
let incidentId: string;
let box: SecretBox;

function service(dataDir: string, progressEveryMs?: number): { exports: ExportService; events: ExportJob[] } {
  const events: ExportJob[] = [];
  const exports = new ExportService({
    dataDir,
    ffmpegPath: 'ffmpeg',
    key: () => loadOrCreateInstallationKey(dataDir, box),
    exporterVersion: 'test',
    sources: { recording, tracks: new TracksRepo(db), snapshotsDir: join(dataDir, 'snapshots'), cameraName: (id) => (id === CAMERA ? 'Gate' : null) },
    incidents,
    log: () => {},
    // The incident below has not ended: its range runs to the engine's now.
    now: () => T0 + 60_000,
    progressEveryMs,
  });
  exports.on('event', (event: EngineEvent) => event.type === 'export.updated' && events.push(event.job));
  return { exports, events };
}

async function settled(exports: ExportService, id: string): Promise<ExportJob> {
  for (let i = 0; i < 1100; i++) {
    const job = exports.get(id);
    if (job.state !== 'queued' && job.state !== 'running') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`export ${id} did not finish`);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-export-jobs-'));
  db = openDatabase(join(dir, 'vigil.db'));
  box = new SecretBox(randomBytes(32));
  recording = new RecordingService(db, { root: join(dir, 'recordings'), maxAgeDays: 3650, quotaBytes: null }, () => {});
  // Three 10 s segments where the recorder puts them, indexed as it indexes them.
  const day = join(dir, 'recordings', CAMERA, '2025-03-14');
  mkdirSync(day, { recursive: true });
  execFileSync('ffmpeg', ['-v', 'error', '-i', DEMO_CLIP, '-t', '30', '-map', '0:v', '-c', 'copy', '-f', 'segment', '-segment_time', '10', '-reset_timestamps', '1', '-segment_format', 'mp4', '-segment_format_options', 'movflags=+frag_keyframe+empty_moov+default_base_moof', join(day, 'seg-%d.mp4')]);
  for (let i = 0; i < 3; i++) {
    const name = `2025-03-14T09-00-${String(i * 10).padStart(2, '0')}Z.mp4`;
    renameSync(join(day, `seg-${i}.mp4`), join(day, name));
    recording.repo.insert({ cameraId: CAMERA, startMs: T0 + i * 10_000, endMs: T0 + (i + 1) * 10_000, path: `${CAMERA}/2025-03-14/${name}`, bytes: 1, recovered: false });
  }
  incidents = new IncidentService({ db, camera: (id) => (id === CAMERA ? { name: 'Gate', state: 'live' } : null), log: () => {} });
  incidentId = new IncidentsRepo(db).raise({
    cameraId: CAMERA, cameraName: 'Gate', ruleId: 'r', ruleName: 'Person at the gate', type: 'presence', severity: 'high',
    trackId: null, trackKey: null, label: 'person', startedAt: T0 + 12_000, raisedAt: T0 + 12_000, details: {},
  }).id;
});

afterAll(() => {
  incidents.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

// Real FFmpeg runs: seconds on a quiet machine, more when two cores are shared.
describe('export jobs', { timeout: 60_000 }, () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(dir, 'data-'));
  });

  it('runs one export at a time: the next waits queued, each reports its states in order', async () => {
    const { exports, events } = service(dataDir);
    await exports.start();
    const first = exports.create({ cameraIds: [CAMERA], from: T0 + 2_000, to: T0 + 28_000, burnInBoxes: true, who: 'ana' });
    const second = exports.create({ incidentId, burnInBoxes: false, who: 'ben' });
    expect(first.state).toBe('running');
    expect(second.state).toBe('queued');
    // The incident's range: 15 s either side of it; it has not ended, so up to now + 15 s.
    expect(second.from).toBe(T0 + 12_000 - 15_000);
    expect(second.to).toBe(T0 + 60_000 + 15_000);
    expect(second.title).toBe('Person at the gate on Gate, 2025-03-14 09:00:12 UTC');

    const done = await settled(exports, second.id);
    expect(exports.get(first.id).state).toBe('done');
    expect(done).toMatchObject({ state: 'done', progress: 1, incidentId, who: 'ben' });
    // Second started only after the first had finished.
    const lines = events.map((job) => `${job.id === first.id ? 'first' : 'second'}:${job.state}`);
    const states = lines.filter((line, i) => lines.indexOf(line) === i);
    expect(states).toEqual(['first:queued', 'first:running', 'second:queued', 'first:done', 'second:running', 'second:done']);
    expect(exports.list().map((j) => j.id)).toEqual([second.id, first.id].sort().reverse());
    // The incident's trail names the export and its manifest.
    const audit = incidents.get(incidentId).actions.filter((a) => a.action === 'export');
    expect(audit.at(-1)).toMatchObject({ who: 'ben', note: `export ${done.id}, manifest SHA-256 ${done.manifestSha256}` });
  });

  it('throttles progress events, but never a change of state', async () => {
    const { exports, events } = service(dataDir, 60_000);
    await exports.start();
    const job = exports.create({ cameraIds: [CAMERA], from: T0, to: T0 + 30_000, burnInBoxes: true, who: 'ana' });
    await settled(exports, job.id);
    // With one progress event a minute allowed, only the changes of state are sent.
    expect(events.map((e) => e.state)).toEqual(['queued', 'running', 'done']);
  });

  it('cancels a queued job at once and a running one through its signal; nothing stays on disk', async () => {
    const { exports } = service(dataDir);
    await exports.start();
    const running = exports.create({ cameraIds: [CAMERA], from: T0, to: T0 + 30_000, burnInBoxes: true, who: 'ana' });
    const queued = exports.create({ cameraIds: [CAMERA], from: T0, to: T0 + 30_000, burnInBoxes: false, who: 'ana' });
    expect(await exports.remove(queued.id)).toMatchObject({ state: 'cancelled', reason: 'EXPORT_CANCELLED' });
    expect(await exports.remove(running.id)).toMatchObject({ state: 'cancelled', reason: 'EXPORT_CANCELLED' });
    expect(existsSync(join(dataDir, 'exports', running.id))).toBe(false);
    expect(existsSync(join(dataDir, 'exports', `${running.id}.partial`))).toBe(false);
    expect(() => exports.finishedFolder(running.id)).toThrow(EngineError);
  });

  it('fails with the exporter reason when a segment went missing, and stop() cancels what waits', async () => {
    const { exports } = service(dataDir);
    await exports.start();
    const gone = join(dir, 'recordings', CAMERA, '2025-03-14', '2025-03-14T09-00-20Z.mp4');
    renameSync(gone, `${gone}.away`);
    try {
      const job = exports.create({ cameraIds: [CAMERA], from: T0 + 15_000, to: T0 + 25_000, burnInBoxes: false, who: 'ana' });
      const failed = await settled(exports, job.id);
      expect(failed).toMatchObject({ state: 'failed', reason: 'EXPORT_SOURCE_MISSING' });
      expect(failed.message).toContain('2025-03-14T09-00-20Z.mp4');
    } finally {
      renameSync(`${gone}.away`, gone);
    }
    const a = exports.create({ cameraIds: [CAMERA], from: T0, to: T0 + 30_000, burnInBoxes: true, who: 'ana' });
    const b = exports.create({ cameraIds: [CAMERA], from: T0, to: T0 + 30_000, burnInBoxes: false, who: 'ana' });
    await exports.stop();
    expect([exports.get(a.id).state, exports.get(b.id).state]).toEqual(['cancelled', 'cancelled']);
    expect(() => exports.create({ cameraIds: [CAMERA], from: T0, to: T0 + 1_000, burnInBoxes: false, who: 'ana' })).toThrow(/stopping/);
  });
});
