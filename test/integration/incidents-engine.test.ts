// Incidents through the whole engine: real footage of people walking, the real detector and
// tracker, a presence rule PUT over the API, and the incident it raises handled by an
// operator over the API, with every step on the events WebSocket and in the audit log.
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, EngineEvent } from '../../src/shared/api';
import type { Incident, IncidentAction } from '../../src/shared/incidents';
import type { RuleSet } from '../../src/shared/rules';
import { modelDir } from '../support/test-media';
import { DEMO_CLIP, startTestEngine, type TestEngine, until } from '../support/test-engine';

let vigil: TestEngine;
let cameraId: string;
const events: EngineEvent[] = [];
let ws: WebSocket;

beforeAll(async () => {
  vigil = await startTestEngine({ detection: true, env: { ...process.env, VIGIL_MODEL_PATH: modelDir() } });
  ws = new WebSocket(`ws://127.0.0.1:${vigil.engine.port}/api/events?token=${vigil.engine.token}`);
  ws.on('message', (data) => events.push(JSON.parse(data.toString()) as EngineEvent));
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  cameraId = (await vigil.addCamera({ name: 'Plaza', mainUrl: pathToFileURL(DEMO_CLIP).href })).id;
});

afterAll(async () => {
  ws?.close();
  await vigil?.stop();
});

function expectError(result: { status: number; body: unknown }, status: number, code: string): ApiErrorBody['error'] {
  expect(result.status, JSON.stringify(result.body)).toBe(status);
  const error = (result.body as ApiErrorBody).error;
  expect(error.code).toBe(code);
  return error;
}

function lowerHalfRules(camera: string): RuleSet {
  return {
    zones: [{ id: 'lower-half', cameraId: camera, name: 'Lower half', kind: 'zone', polygon: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]] }],
    lines: [],
    rules: [
      {
        id: 'person-below',
        cameraId: camera,
        name: 'Person in the lower half',
        severity: 'high',
        enabled: true,
        schedule: [],
        timeZone: 'UTC',
        type: 'presence',
        classes: ['person'],
        zoneId: 'lower-half',
        minScore: 0.3,
        minDurationMs: 0,
      },
    ],
  };
}

describe('incidents in the engine', () => {
  it('raises an incident from a presence rule on real footage and audits what the operator does', async () => {
    expect((await vigil.api<RuleSet>('GET', `/api/cameras/${cameraId}/rules`)).body).toEqual({ zones: [], lines: [], rules: [] });
    const put = await vigil.api<RuleSet>('PUT', `/api/cameras/${cameraId}/rules`, lowerHalfRules(cameraId));
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect((await vigil.api<RuleSet>('GET', `/api/cameras/${cameraId}/rules`)).body).toEqual(lowerHalfRules(cameraId));

    await vigil.waitForCamera(cameraId, (c) => c.status.state === 'live', 30_000, 'live');
    const liveAt = Date.now();
    const incident = await until('an incident in GET /api/incidents', async () => (await vigil.api<Incident[]>('GET', `/api/incidents?camera=${cameraId}&state=open`)).body[0], 20_000);
    expect(Date.now() - liveAt).toBeLessThan(15_000);
    expect(incident).toMatchObject({ cameraId, cameraName: 'Plaza', ruleId: 'person-below', ruleName: 'Person in the lower half', type: 'presence', severity: 'high', state: 'new', label: 'person' });
    expect(incident.trackId).toBeGreaterThan(0);
    await until('incident.updated on /api/events', () => events.some((e) => e.type === 'incident.updated' && e.incident.id === incident.id));

    const act = (body: unknown) => vigil.api<Incident>('POST', `/api/incidents/${incident.id}/actions`, body);
    expect((await act({ action: 'acknowledge', who: 'ana' })).body).toMatchObject({ state: 'acknowledged', owner: 'ana' });
    expect((await act({ action: 'note', who: 'ana', note: 'someone crossing the plaza' })).status).toBe(200);
    expect((await act({ action: 'close', who: 'ana', note: 'passer-by' })).body).toMatchObject({ state: 'closed' });
    await until('the closed incident on /api/events', () => events.some((e) => e.type === 'incident.updated' && e.incident.id === incident.id && e.incident.state === 'closed'));

    const detail = await vigil.api<Incident & { actions: IncidentAction[] }>('GET', `/api/incidents/${incident.id}`);
    expect(detail.status).toBe(200);
    const operator = detail.body.actions.filter((a) => a.who !== 'vigil');
    expect(detail.body.actions[0]).toMatchObject({ action: 'raised', who: 'vigil' });
    expect(operator.map((a) => [a.action, a.note])).toEqual([
      ['acknowledge', null],
      ['note', 'someone crossing the plaza'],
      ['close', 'passer-by'],
    ]);
    // Closed is final until reopened.
    const invalid = expectError(await act({ action: 'start', who: 'ana' }), 409, 'INCIDENT_TRANSITION_INVALID');
    expect(invalid.message).toMatch(/closed/);
    expect((await vigil.api<Incident[]>('GET', `/api/incidents?state=closed&camera=${cameraId}`)).body.map((i) => i.id)).toContain(incident.id);
  });

  it('rejects bad rule sets, actions and queries with their reason codes', async () => {
    const rules = lowerHalfRules(cameraId);
    const unknown = expectError(await vigil.api('PUT', `/api/cameras/${cameraId}/rules`, { ...rules, extra: true }), 400, 'UNKNOWN_FIELD');
    expect(unknown.message).toContain('extra');
    const otherZone = { ...rules, zones: [{ ...rules.zones[0]!, cameraId: 'another-camera' }] };
    const reference = expectError(await vigil.api('PUT', `/api/cameras/${cameraId}/rules`, otherZone), 400, 'RULE_REFERENCE_INVALID');
    expect(reference.issues?.map((i) => i.path)).toContain('zones.0.cameraId');
    const missingZone = { ...rules, zones: [] };
    expectError(await vigil.api('PUT', `/api/cameras/${cameraId}/rules`, missingZone), 400, 'RULE_REFERENCE_INVALID');
    expectError(await vigil.api('PUT', `/api/cameras/${cameraId}/rules`, { ...rules, rules: [rules.rules[0], rules.rules[0]] }), 400, 'VALIDATION_FAILED');
    expectError(await vigil.api('PUT', '/api/cameras/no-such-camera/rules', rules), 404, 'RESOURCE_NOT_FOUND');
    expectError(await vigil.api('DELETE', `/api/cameras/${cameraId}/rules`), 405, 'METHOD_NOT_ALLOWED');

    expectError(await vigil.api('GET', '/api/incidents?state=sleeping'), 400, 'VALIDATION_FAILED');
    expectError(await vigil.api('GET', '/api/incidents?colour=red'), 400, 'UNKNOWN_FIELD');
    expectError(await vigil.api('GET', '/api/incidents/no-such-incident'), 404, 'RESOURCE_NOT_FOUND');
    expectError(await vigil.api('POST', '/api/incidents/no-such-incident/actions', { action: 'note', who: 'ana', note: 'x' }), 404, 'RESOURCE_NOT_FOUND');
    const [incident] = (await vigil.api<Incident[]>('GET', '/api/incidents?limit=1')).body;
    expect(incident).toBeDefined();
    expectError(await vigil.api('POST', `/api/incidents/${incident!.id}/actions`, { action: 'note', who: 'ana', note: 'x', admin: true }), 400, 'UNKNOWN_FIELD');
    expectError(await vigil.api('POST', `/api/incidents/${incident!.id}/actions`, { action: 'explode', who: 'ana' }), 400, 'VALIDATION_FAILED');
    expectError(await vigil.api('POST', `/api/incidents/${incident!.id}/actions`, 'not json'), 400, 'BAD_JSON');
  });
});
