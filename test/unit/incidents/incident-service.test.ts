// The incident service on a real SQLite database with synthetic frames: what the rules raise
// becomes one incident per (rule, track) while it lasts, and every change is audited.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/shared/api';
import type { CameraState } from '../../../src/shared/cameras';
import type { TrackedObject } from '../../../src/shared/detection';
import type { Incident } from '../../../src/shared/incidents';
import { RuleSetSchema, type RuleSet } from '../../../src/shared/rules';
import { IncidentService } from '../../../src/main/engine/incidents/incident-service';
import { openDatabase, type Db } from '../../../src/main/engine/store/database';
import { CAMERA, H, W, common, person, times, yard } from '../rules/scene';

let dir = '';
let db: Db;
let clock = 0;
/** The clock at the start of each test. */
let clock0 = 0;
let cameraState: CameraState = 'live';
const services: IncidentService[] = [];
const logs: string[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vigil-incidents-'));
  db = openDatabase(join(dir, 'vigil.db'));
  clock = clock0 = 1_000_000;
  cameraState = 'live';
  logs.length = 0;
});

afterEach(() => {
  for (const service of services.splice(0)) service.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

function start(statusEveryMs = 60_000): { service: IncidentService; events: Incident[] } {
  const service = new IncidentService({
    db,
    camera: (id) => (id === CAMERA ? { name: 'Yard camera', state: cameraState } : null),
    log: (line) => logs.push(line),
    now: () => clock,
    statusEveryMs,
  });
  services.push(service);
  const events: Incident[] = [];
  service.on('event', (event: EngineEvent) => {
    if (event.type === 'incident.updated') events.push(event.incident);
  });
  return { service, events };
}

const presence = { id: 'intruder', name: 'Intruder in the yard', type: 'presence', classes: ['person'], zoneId: 'yard', minScore: 0.5, minDurationMs: 0 };
const offline = { id: 'down', name: 'Camera down', type: 'camera-offline', afterMs: 10_000 };

function ruleSet(...rules: object[]): RuleSet {
  return RuleSetSchema.parse({ zones: [yard], lines: [], rules: rules.map((rule) => ({ ...common, ...rule })) });
}

/** Feeds one frame per time, from tracker run `run`. */
function play(service: IncidentService, at: number[], scene: (at: number) => TrackedObject[], run = 'run-a'): void {
  for (const t of at) {
    clock = t;
    service.frame({ cameraId: CAMERA, run, objects: scene(t), width: W, height: H, at: t });
  }
}

const all = (service: IncidentService) => service.list({ limit: 500 });
const auditOf = (service: IncidentService, id: string) => service.get(id).actions.map((a) => `${a.who}:${a.action}${a.note ? `(${a.note})` : ''}`);

describe('incidents from rule hits', () => {
  it('raises one incident per track and rule while it lasts; updates do not duplicate it', () => {
    const { service, events } = start();
    service.putRules(CAMERA, ruleSet(presence));
    // Person 1 stands in the yard from 0 to 20 s, then walks out; person 2 stays outside.
    play(service, times(clock, clock + 30_000), (at) => [person(1, at < clock0 + 20_000 ? 500 : 100, 500), person(2, 100, 300)]);
    const incidents = all(service);
    expect(incidents).toHaveLength(1);
    const [incident] = incidents;
    expect(incident).toMatchObject({ cameraId: CAMERA, cameraName: 'Yard camera', ruleId: 'intruder', ruleName: 'Intruder in the yard', type: 'presence', severity: 'high', state: 'new', trackId: 1, label: 'person', evidenceLock: false, owner: null });
    expect(incident!.startedAt).toBe(clock0);
    expect(incident!.endedAt).toBeGreaterThanOrEqual(clock0 + 20_000);
    expect(incident!.details).toMatchObject({ type: 'presence', zoneId: 'yard', reason: expect.any(String) });
    expect(auditOf(service, incident!.id)).toEqual(['vigil:raised', `vigil:condition-ended(${incident!.details.reason as string})`]);
    // Raised, a few updates, ended: all events of the one incident.
    expect(new Set(events.map((e) => e.id))).toEqual(new Set([incident!.id]));
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.at(-1)!.endedAt).not.toBeNull();
  });

  it('raises a separate incident per track, and a new one when the same track comes back after the end', () => {
    const { service } = start();
    service.putRules(CAMERA, ruleSet(presence));
    const t0 = clock;
    // Track 1 in the yard 0-5 s, out 5-15 s (long enough to end), back in 15-20 s; track 2 in throughout.
    play(service, times(t0, t0 + 20_000), (at) => [person(1, at - t0 < 5000 || at - t0 >= 15_000 ? 500 : 100, 500), person(2, 600, 500)]);
    const incidents = all(service);
    expect(incidents.filter((i) => i.trackId === 1)).toHaveLength(2);
    expect(incidents.filter((i) => i.trackId === 2)).toHaveLength(1);
    expect(incidents.filter((i) => i.endedAt === null)).toHaveLength(2);
  });

  it('ends the open conditions with condition-ended when the rules change, and runs the new rules', () => {
    const { service } = start();
    service.putRules(CAMERA, ruleSet(presence));
    play(service, times(clock, clock + 3000), () => [person(1, 500, 500)]);
    const [open] = all(service);
    expect(open!.endedAt).toBeNull();
    service.putRules(CAMERA, ruleSet({ ...presence, id: 'intruder-2' }));
    const ended = service.get(open!.id);
    expect(ended.endedAt).toBe(clock);
    expect(ended.actions.at(-1)).toMatchObject({ action: 'condition-ended', who: 'vigil', note: 'rules changed' });
    expect(service.rules(CAMERA).rules.map((r) => r.id)).toEqual(['intruder-2']);
    play(service, times(clock + 200, clock + 2000), () => [person(1, 500, 500)]);
    expect(all(service).filter((i) => i.ruleId === 'intruder-2' && i.endedAt === null)).toHaveLength(1);
  });

  it('ends the old tracker run’s incidents when the tracker restarts (track ids start again)', () => {
    const { service } = start();
    service.putRules(CAMERA, ruleSet(presence));
    play(service, times(clock, clock + 2000), () => [person(1, 500, 500)], 'run-a');
    play(service, times(clock + 200, clock + 2000), () => [person(1, 500, 500)], 'run-b');
    const incidents = all(service);
    expect(incidents).toHaveLength(2);
    expect(incidents.filter((i) => i.endedAt === null)).toHaveLength(1);
    expect(incidents.find((i) => i.endedAt !== null)!.details.reason).toBe('track-ended');
  });

  it('raises camera-offline from status changes and the timer while the camera sends nothing', async () => {
    const { service } = start(10);
    service.putRules(CAMERA, ruleSet(offline));
    const t0 = clock;
    service.cameraStatus(CAMERA, 'reconnecting', t0);
    expect(all(service)).toHaveLength(0);
    // No more status events: only the timer tells the evaluator that time passed.
    clock = t0 + 11_000;
    await new Promise((r) => setTimeout(r, 60));
    const [incident] = all(service);
    expect(incident).toMatchObject({ type: 'camera-offline', trackId: null, startedAt: t0, endedAt: null });
    service.cameraStatus(CAMERA, 'live', t0 + 15_000);
    expect(service.get(incident!.id).endedAt).toBe(t0 + 15_000);
  });

  it('ends conditions left open by a crash when it starts again', () => {
    const first = start();
    first.service.putRules(CAMERA, ruleSet(presence));
    play(first.service, times(clock, clock + 2000), () => [person(1, 500, 500)]);
    const lastSeen = clock;
    const raisedAt = all(first.service)[0]!.updatedAt;
    // A crash: the service never stops. A new one on the same database tidies up.
    services.splice(services.indexOf(first.service), 1);
    const second = start();
    const [incident] = all(second.service);
    // The last time it was stored as holding: updates are written every few seconds, not per frame.
    expect(incident!.endedAt).toBe(raisedAt);
    expect(incident!.endedAt).toBeLessThanOrEqual(lastSeen);
    expect(second.service.get(incident!.id).actions.at(-1)).toMatchObject({ action: 'condition-ended', note: 'engine restarted' });
    first.service.stop();
  });

  it('fills the snapshot from the raising track’s best view once the tracks store has it', async () => {
    const { service, events } = start(10);
    service.putRules(CAMERA, ruleSet(presence));
    play(service, times(clock, clock + 2000), () => [person(1, 500, 500)]);
    play(service, times(clock + 200, clock + 1000), () => []);
    const [incident] = all(service);
    expect(incident).toMatchObject({ endedAt: expect.any(Number), snapshotRef: null });
    // The track recorder saves the thumbnail after the track ended.
    db.prepare(
      `INSERT INTO tracks (camera_id, track_key, label, first_seen, last_seen, best_score, best_box, best_at, frame_w, frame_h, ended, snapshot_ref, samples)
       VALUES (?, 'run-a:1', 'person', 0, 1, 0.9, x'00', 0, ${W}, ${H}, 1, 'cam-1/best.jpg', x'00')`,
    ).run(CAMERA);
    await new Promise((r) => setTimeout(r, 60));
    expect(service.get(incident!.id).snapshotRef).toBe('cam-1/best.jpg');
    expect(events.at(-1)).toMatchObject({ id: incident!.id, snapshotRef: 'cam-1/best.jpg' });
  });

  it('refuses the rules of a camera that does not exist', () => {
    const { service } = start();
    expect(() => service.rules('nope')).toThrow(expect.objectContaining({ code: 'RESOURCE_NOT_FOUND', status: 404 }));
    expect(() => service.putRules('nope', ruleSet())).toThrow(expect.objectContaining({ code: 'RESOURCE_NOT_FOUND' }));
    expect(service.rules(CAMERA)).toEqual({ zones: [], lines: [], rules: [] });
  });
});

describe('operator actions', () => {
  function raised(): { service: IncidentService; events: Incident[]; id: string } {
    const started = start();
    started.service.putRules(CAMERA, ruleSet(presence));
    play(started.service, times(clock, clock + 1000), () => [person(1, 500, 500)]);
    return { ...started, id: all(started.service)[0]!.id };
  }

  it('moves through acknowledge, start, close and reopen with an audit row for every action', () => {
    const { service, events, id } = raised();
    clock += 1000;
    expect(service.act(id, { action: 'acknowledge', who: 'ana' })).toMatchObject({ state: 'acknowledged', owner: 'ana' });
    expect(events.at(-1)).toMatchObject({ id, state: 'acknowledged' });
    expect(service.act(id, { action: 'note', who: 'ana', note: 'man at the gate' }).state).toBe('acknowledged');
    expect(service.act(id, { action: 'assign', who: 'ana', owner: 'ben' }).owner).toBe('ben');
    expect(service.act(id, { action: 'start', who: 'ben' }).state).toBe('in_progress');
    expect(service.act(id, { action: 'close', who: 'ben', note: 'delivery' }).state).toBe('closed');
    expect(service.act(id, { action: 'reopen', who: 'ana' }).state).toBe('acknowledged');
    expect(service.act(id, { action: 'false-alarm', who: 'ana', note: 'a shadow' }).state).toBe('false_alarm');
    const actions = service.get(id).actions;
    expect(actions.map((a) => `${a.who}:${a.action}${a.note ? `(${a.note})` : ''}`)).toEqual([
      'vigil:raised',
      'ana:acknowledge',
      'ana:note(man at the gate)',
      'ana:assign(ben)',
      'ben:start',
      'ben:close(delivery)',
      'ana:reopen',
      'ana:false-alarm(a shadow)',
    ]);
    expect(actions.every((a) => a.incidentId === id && a.at >= actions[0]!.at)).toBe(true);
  });

  it('refuses invalid transitions with INCIDENT_TRANSITION_INVALID and records nothing', () => {
    const { service, id } = raised();
    expect(() => service.act(id, { action: 'close', who: 'ana' })).toThrow(expect.objectContaining({ code: 'INCIDENT_TRANSITION_INVALID', status: 409 }));
    expect(() => service.act(id, { action: 'reopen', who: 'ana' })).toThrow(expect.objectContaining({ code: 'INCIDENT_TRANSITION_INVALID' }));
    service.act(id, { action: 'acknowledge', who: 'ana' });
    expect(() => service.act(id, { action: 'acknowledge', who: 'ana' })).toThrow(expect.objectContaining({ code: 'INCIDENT_TRANSITION_INVALID' }));
    expect(service.get(id)).toMatchObject({ state: 'acknowledged' });
    expect(service.get(id).actions.map((a) => a.action)).toEqual(['raised', 'acknowledge']);
    expect(() => service.act('no-such-incident', { action: 'note', who: 'ana', note: 'x' })).toThrow(expect.objectContaining({ code: 'RESOURCE_NOT_FOUND', status: 404 }));
  });

  it('locks and unlocks in any state; isLocked covers the incident and 30 s either side', () => {
    const { service, id } = raised();
    const incident = service.get(id);
    expect(service.isLocked(CAMERA, incident.startedAt, incident.startedAt + 1)).toBe(false);
    service.act(id, { action: 'false-alarm', who: 'ana' });
    expect(service.act(id, { action: 'lock', who: 'ana' }).evidenceLock).toBe(true);
    // Still open: covered up to now + 30 s.
    expect(service.isLocked(CAMERA, clock + 29_000, clock + 40_000)).toBe(true);
    expect(service.isLocked(CAMERA, clock + 31_000, clock + 40_000)).toBe(false);
    expect(service.isLocked(CAMERA, incident.startedAt - 40_000, incident.startedAt - 29_000)).toBe(true);
    expect(service.isLocked(CAMERA, incident.startedAt - 40_000, incident.startedAt - 31_000)).toBe(false);
    expect(service.isLocked('other-camera', incident.startedAt, clock)).toBe(false);
    // Once the condition ended, the window closes 30 s after the end, however late it is now.
    play(service, times(clock + 200, clock + 5000), () => []);
    const endedAt = service.get(id).endedAt!;
    clock += 3_600_000;
    expect(service.isLocked(CAMERA, endedAt + 29_000, endedAt + 29_500)).toBe(true);
    expect(service.isLocked(CAMERA, endedAt + 31_000, clock)).toBe(false);
    expect(service.act(id, { action: 'unlock', who: 'ben' }).evidenceLock).toBe(false);
    expect(service.isLocked(CAMERA, incident.startedAt, endedAt)).toBe(false);
    expect(service.get(id).actions.map((a) => `${a.who}:${a.action}`)).toEqual(['vigil:raised', 'ana:false-alarm', 'ana:lock', 'vigil:condition-ended', 'ben:unlock']);
  });

  it('keeps the audit log append-only', () => {
    const { id } = raised();
    expect(() => db.prepare('UPDATE incident_actions SET who = ? WHERE incident_id = ?').run('mallory', id)).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM incident_actions WHERE incident_id = ?').run(id)).toThrow(/append-only/);
  });
});

describe('the incident list', () => {
  it('filters by state, camera and severity, newest first and most severe first within a second', () => {
    const { service } = start();
    const critical = { ...presence, id: 'critical', severity: 'critical' };
    const low = { ...presence, id: 'low', severity: 'low' };
    service.putRules(CAMERA, ruleSet(low, critical));
    play(service, times(clock, clock + 1000), () => [person(1, 500, 500)]);
    play(service, times(clock + 2000, clock + 3000), () => [person(1, 500, 500), person(2, 600, 500)]);
    const incidents = all(service);
    expect(incidents.map((i) => `${i.trackId}/${i.severity}`)).toEqual(['2/critical', '2/low', '1/critical', '1/low']);
    expect(service.list({ severity: 'low', limit: 100 })).toHaveLength(2);
    expect(service.list({ camera: 'other', limit: 100 })).toHaveLength(0);
    expect(service.list({ limit: 1 })).toHaveLength(1);
    service.act(incidents[0]!.id, { action: 'false-alarm', who: 'ana' });
    expect(service.list({ state: 'open', limit: 100 })).toHaveLength(3);
    expect(service.list({ state: 'false_alarm', limit: 100 }).map((i) => i.id)).toEqual([incidents[0]!.id]);
    expect(service.list({ from: incidents[0]!.startedAt, limit: 100 })).toHaveLength(2);
    expect(service.list({ to: incidents[0]!.startedAt - 1, limit: 100 })).toHaveLength(2);
  });
});
