// What alerts say: severity, site, camera, zone, rule, the site's local time, objects and
// scores, the short incident id and how to acknowledge; and the same facts as JSON.
import { describe, expect, it } from 'vitest';
import { ackHint, objectsText, renderAlert, shortId, type RenderInput } from '../../../src/main/engine/alerts/message';
import type { AlertSubject } from '../../../src/main/engine/alerts/policy-engine';
import type { Incident } from '../../../src/shared/incidents';

const AT = Date.UTC(2025, 6, 14, 21, 5, 9); // a July evening: London is UTC+1, Tokyo UTC+9
const ID = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

const incident: Incident = {
  id: ID,
  cameraId: 'cam-2',
  cameraName: 'Gate 2',
  ruleId: 'yard-person',
  ruleName: 'Person in the yard',
  type: 'presence',
  severity: 'critical',
  state: 'new',
  trackId: 7,
  label: 'person',
  startedAt: AT,
  updatedAt: AT,
  endedAt: null,
  owner: null,
  evidenceLock: false,
  snapshotRef: null,
  details: { type: 'presence', zoneId: 'yard', label: 'person', score: 0.912, since: AT },
};

const subject: AlertSubject = {
  key: ID,
  incidentId: ID,
  cameraId: 'cam-2',
  cameraName: 'Gate 2',
  ruleId: 'yard-person',
  ruleName: 'Person in the yard',
  type: 'presence',
  severity: 'critical',
  state: 'new',
  startedAt: AT,
  endedAt: null,
  actor: null,
  endReason: null,
};

const base: RenderInput = { kind: 'incident', site: { name: 'North Depot', timeZone: 'Europe/London' }, now: AT, subject, incident, zoneName: 'Yard' };

describe('alert message', () => {
  it('says severity, site, camera, zone, rule, local time, objects, the incident and how to acknowledge', () => {
    const { title, text } = renderAlert(base);
    expect(title).toBe('CRITICAL · Gate 2 · Person in the yard');
    const lines = text.split('\n');
    expect(lines[0]).toBe('CRITICAL alert at North Depot');
    expect(lines).toContain('Camera: Gate 2');
    expect(lines).toContain('Zone: Yard');
    expect(lines).toContain('Rule: Person in the yard (presence)');
    expect(lines).toContain('Objects: person 91 %');
    expect(lines).toContain('Incident: 1a2b3c4d');
    expect(lines[lines.length - 1]).toBe(ackHint(ID));
    expect(ackHint(ID)).toContain('ACK 1a2b3c4d');
    // 21:05:09 UTC is 22:05:09 in London in July, and the zone is named.
    expect(text).toMatch(/Time: .*22:05:09 \(Europe\/London\)/);
    expect(renderAlert({ ...base, site: { name: 'North Depot', timeZone: 'Asia/Tokyo' } }).text).toMatch(/Time: .*06:05:09 \(Asia\/Tokyo\)/);
  });

  it('carries the same facts as JSON for machines', () => {
    const { payload } = renderAlert(base);
    expect(payload).toMatchObject({
      event: 'alert.incident',
      kind: 'incident',
      severity: 'critical',
      site: 'North Depot',
      acknowledge: 'ACK 1a2b3c4d',
      subject: { incidentId: ID, shortId: '1a2b3c4d', cameraName: 'Gate 2', ruleId: 'yard-person', zone: 'Yard', label: 'person', score: 0.912, startedAt: AT },
    });
  });

  it('describes a camera offline, with or without an incident behind it', () => {
    const offline = { ...subject, type: 'camera-offline', ruleName: 'Gate 2 down' };
    const withIncident = renderAlert({ ...base, kind: 'camera-offline', subject: offline, incident: { ...incident, type: 'camera-offline', details: { cameraState: 'reconnecting' } }, zoneName: null });
    expect(withIncident.text).toContain('CRITICAL alert at North Depot: camera offline');
    expect(withIncident.text).toMatch(/Down since: .*22:05:09/);
    expect(withIncident.text).toContain('Camera state: reconnecting');
    expect(withIncident.text).toContain('ACK 1a2b3c4d');
    const watched = renderAlert({ ...base, kind: 'camera-offline', subject: { ...offline, key: 'camera:cam-2:1', incidentId: null, ruleId: null }, incident: null, zoneName: null });
    expect(watched.text).toContain('Rule: camera watch of the alert settings (no camera-offline rule)');
    expect(watched.text).not.toContain('ACK');
    expect(watched.payload.acknowledge).toBeUndefined();
  });

  it('marks an escalation and says how long it waited', () => {
    const { title, text } = renderAlert({ ...base, kind: 'escalation', escalationMinutes: 5 });
    expect(title).toBe('ESCALATION · CRITICAL · Gate 2 · Person in the yard');
    expect(text.split('\n')[0]).toBe('ESCALATION: not acknowledged after 5 min.');
    expect(text).toContain('ACK 1a2b3c4d');
  });

  it('tells who handled it, and when a camera is back', () => {
    const handled = renderAlert({ ...base, kind: 'update', update: 'handled', subject: { ...subject, state: 'acknowledged', actor: 'whatsapp:Ana' } });
    expect(handled.title).toBe('Acknowledged · Gate 2 · Person in the yard');
    expect(handled.text).toContain('Acknowledged by whatsapp:Ana: Person in the yard on Gate 2 at North Depot (incident 1a2b3c4d).');
    expect(handled.text).not.toContain('reply');
    const back = renderAlert({ ...base, kind: 'update', update: 'back-online', subject: { ...subject, type: 'camera-offline', endedAt: AT + 4 * 60_000 } });
    expect(back.title).toBe('Back online · Gate 2');
    expect(back.text).toContain('is back online (it was down 4 min)');
  });

  it('sums up a digest and a test', () => {
    const digest = renderAlert({ ...base, kind: 'digest', subject: null, incident: null, digest: { cameraId: 'cam-2', cameraName: 'Gate 2', type: 'presence', count: 4, rules: ['Person in the yard', 'Loitering'], since: AT, severity: 'high' } });
    expect(digest.title).toBe('4 more at Gate 2');
    expect(digest.text).toContain('4 more alerts at Gate 2 (North Depot) held back since');
    expect(digest.text).toContain('Person in the yard, Loitering');
    expect(digest.payload).toMatchObject({ severity: 'high', digest: { count: 4 } });
    const test = renderAlert({ ...base, kind: 'test', subject: null, incident: null });
    expect(test.title).toBe('Test alert · North Depot');
  });

  it('reads objects of count rules and short ids', () => {
    expect(objectsText({ objects: 3, label: 'car' })).toBe('3 objects (car)');
    expect(objectsText({ objects: 1 })).toBe('1 object');
    expect(objectsText({ label: 'violence', score: 0.5 })).toBe('violence 50 %');
    expect(objectsText({})).toBeNull();
    expect(shortId(ID)).toBe('1a2b3c4d');
  });
});
