import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CamerasRepo, SettingsRepo, type NewCamera } from '../../../src/main/engine/store/cameras-repo';
import { openDatabase, type Db } from '../../../src/main/engine/store/database';
import { SecretBox, loadOrCreateKeyFile } from '../../../src/main/engine/secrets/secret-box';
import { CameraOptionsSchema } from '../../../src/shared/cameras';

const PASSWORD = 'Sup3rS3cretPw';
const MAIN = `rtsp://admin:${PASSWORD}@10.0.0.5:554/Streaming/Channels/101`;
const SUB = `rtsp://admin:${PASSWORD}@10.0.0.5:554/Streaming/Channels/102`;

let dir = '';
let file = '';
let db: Db;
let box: SecretBox;
let clock = 1_700_000_000_000;
const now = () => clock;

function lobby(overrides: Partial<NewCamera> = {}): NewCamera {
  return { name: 'Lobby', mainUrl: MAIN, subUrl: SUB, enabled: true, options: CameraOptionsSchema.parse({}), ...overrides };
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-repo-'));
  file = join(dir, 'data', 'vigil.db');
  db = openDatabase(file);
  box = new SecretBox(loadOrCreateKeyFile(join(dir, 'secret.key')));
  clock = 1_700_000_000_000;
});

afterEach(async () => {
  if (db.open) db.close();
  await rm(dir, { recursive: true, force: true });
});

describe('CamerasRepo', () => {
  it('insert, list, get round trip', () => {
    const repo = new CamerasRepo(db, box, now);
    const [created] = repo.insertMany([lobby({ options: CameraOptionsSchema.parse({ rtspTransport: 'udp', transcodeSize: { width: 1280, height: 720 } }) })]);
    expect(created).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Lobby',
      mainUrl: MAIN,
      subUrl: SUB,
      enabled: true,
      options: { rtspTransport: 'udp', liveTranscode: 'auto', stallSeconds: 10, detect: true, detectFps: 5, detectWidth: 640, hwaccel: 'none', motionThreshold: 25, motionMinArea: 0.002, motionMasks: [], record: true, transcodeSize: { width: 1280, height: 720 } },
      demo: false,
      createdAt: clock,
      updatedAt: clock,
    });
    expect(repo.list()).toEqual([created]);
    expect(repo.get(created!.id)).toEqual(created);
    expect(repo.count()).toBe(1);
    expect(repo.get('no-such-id')).toBeNull();
  });

  it('keeps insertion order across calls and stores a missing sub-stream as null', () => {
    const repo = new CamerasRepo(db, box, now);
    repo.insertMany([lobby({ name: 'A' }), lobby({ name: 'B', subUrl: null, demo: true })]);
    clock -= 1000; // an earlier clock must not reorder: position decides
    repo.insertMany([lobby({ name: 'C', enabled: false })]);
    const cameras = repo.list();
    expect(cameras.map((camera) => camera.name)).toEqual(['A', 'B', 'C']);
    expect(cameras[1]).toMatchObject({ subUrl: null, demo: true });
    expect(cameras[2]?.enabled).toBe(false);
    expect(new Set(cameras.map((camera) => camera.id)).size).toBe(3);
  });

  it('update changes only what was given and bumps updatedAt', () => {
    const repo = new CamerasRepo(db, box, now);
    const [created] = repo.insertMany([lobby({ options: CameraOptionsSchema.parse({ rtspTransport: 'udp', liveTranscode: 'never' }) })]);
    clock += 5000;
    const updated = repo.update(created!.id, { name: 'Lobby east', options: { stallSeconds: 30 } });
    expect(updated).toEqual({
      ...created,
      name: 'Lobby east',
      options: { ...CameraOptionsSchema.parse({}), rtspTransport: 'udp', liveTranscode: 'never', stallSeconds: 30 },
      updatedAt: created!.createdAt + 5000,
    });
    expect(repo.get(created!.id)).toEqual(updated);
  });

  it('update can replace URLs and remove the sub-stream', () => {
    const repo = new CamerasRepo(db, box, now);
    const [created] = repo.insertMany([lobby()]);
    const updated = repo.update(created!.id, { mainUrl: 'rtsp://10.0.0.6/live', subUrl: null, enabled: false });
    expect(updated).toMatchObject({ mainUrl: 'rtsp://10.0.0.6/live', subUrl: null, enabled: false });
  });

  it('update and delete of an unknown id report it', () => {
    const repo = new CamerasRepo(db, box, now);
    expect(repo.update('nope', { name: 'x' })).toBeNull();
    expect(repo.delete('nope')).toBe(false);
  });

  it('delete removes the row', () => {
    const repo = new CamerasRepo(db, box, now);
    const [a, b] = repo.insertMany([lobby({ name: 'A' }), lobby({ name: 'B' })]);
    expect(repo.delete(a!.id)).toBe(true);
    expect(repo.get(a!.id)).toBeNull();
    expect(repo.list().map((camera) => camera.id)).toEqual([b!.id]);
    expect(repo.count()).toBe(1);
    expect(repo.delete(a!.id)).toBe(false);
  });

  it('stores URLs sealed: the password never appears in the row, the file or the WAL', () => {
    const repo = new CamerasRepo(db, box, now);
    const [created] = repo.insertMany([lobby()]);
    repo.update(created!.id, { name: 'Lobby 2' });
    const row = db.prepare('SELECT * FROM cameras WHERE id = ?').get(created!.id) as Record<string, unknown>;
    const rowText = JSON.stringify(row);
    expect(rowText).not.toContain(PASSWORD);
    expect(rowText).not.toContain('10.0.0.5');
    expect(row.main_url_sealed).toMatch(/^v1:/);
    expect(row.sub_url_sealed).toMatch(/^v1:/);
    expect(box.open(row.main_url_sealed as string)).toBe(MAIN);
    // Every byte on disk, database and write-ahead log alike.
    for (const name of readdirSync(join(dir, 'data'))) {
      expect(readFileSync(join(dir, 'data', name)).includes(Buffer.from(PASSWORD)), name).toBe(false);
    }
  });

  it('a repo with another key cannot read the URLs', () => {
    new CamerasRepo(db, box, now).insertMany([lobby()]);
    const stranger = new CamerasRepo(db, new SecretBox(Buffer.alloc(32, 1)), now);
    expect(() => stranger.list()).toThrow();
  });

  it('survives a restart: reopen the file and the key file', () => {
    const [created] = new CamerasRepo(db, box, now).insertMany([lobby()]);
    db.close();
    db = openDatabase(file);
    const reopened = new CamerasRepo(db, new SecretBox(loadOrCreateKeyFile(join(dir, 'secret.key'))), now);
    expect(reopened.list()).toEqual([created]);
  });

  it('fills defaults for options an older version did not store', () => {
    const repo = new CamerasRepo(db, box, now);
    const [created] = repo.insertMany([lobby()]);
    db.prepare('UPDATE cameras SET options_json = ? WHERE id = ?').run('{}', created!.id);
    expect(repo.get(created!.id)?.options).toEqual({ rtspTransport: 'tcp', liveTranscode: 'auto', stallSeconds: 10, detect: true, detectFps: 5, detectWidth: 640, hwaccel: 'none', motionThreshold: 25, motionMinArea: 0.002, motionMasks: [], record: true });
  });

  it('insertMany is all or nothing', () => {
    const repo = new CamerasRepo(db, box, now);
    // A null name violates NOT NULL on the second row: the first must not stay behind.
    expect(() => repo.insertMany([lobby({ name: 'A' }), lobby({ name: null as unknown as string })])).toThrow();
    expect(repo.count()).toBe(0);
  });
});

describe('SettingsRepo', () => {
  it('get returns undefined for a missing key', () => {
    expect(new SettingsRepo(db).get('grid')).toBeUndefined();
  });

  it('set then get round-trips JSON values', () => {
    const settings = new SettingsRepo(db);
    settings.set('grid', { columns: 3, rows: 3 });
    settings.set('muted', false);
    settings.set('name', 'Control room');
    settings.set('nothing', null);
    expect(settings.get<{ columns: number; rows: number }>('grid')).toEqual({ columns: 3, rows: 3 });
    expect(settings.get<boolean>('muted')).toBe(false);
    expect(settings.get<string>('name')).toBe('Control room');
    expect(settings.get('nothing')).toBeNull();
  });

  it('set overwrites an existing key', () => {
    const settings = new SettingsRepo(db);
    settings.set('grid', '2x2');
    settings.set('grid', '4x4');
    expect(settings.get('grid')).toBe('4x4');
    expect(db.prepare('SELECT COUNT(*) FROM settings').pluck().get()).toBe(1);
  });

  it('persists across a reopen', () => {
    new SettingsRepo(db).set('theme', 'dark');
    db.close();
    db = openDatabase(file);
    expect(new SettingsRepo(db).get('theme')).toBe('dark');
  });
});
