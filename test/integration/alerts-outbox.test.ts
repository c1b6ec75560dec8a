// The outbox survives a crash: the real headless host as a child process, a burst of 50
// alerts to a real (slow) webhook receiver in this process, the engine SIGKILLed while sends
// are in flight, restarted on the same data directory. Every alert must reach the receiver,
// and none twice once the receiver drops repeats by Idempotency-Key; the raw POSTs show the
// interrupted ones were sent again with the same key.
//
// Where the burst comes from, for real: one camera whose file does not exist yet, with 50
// camera-offline rules. When the camera stays down past the rules' wait, the real rule
// evaluator raises 50 incidents at once, and the real policy turns each into an alert. Before
// the restart the file is put in place, so the camera comes back live and raises nothing new.
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeliveryPage, Recipient } from '../../src/shared/alerts';
import type { CameraView } from '../../src/shared/cameras';
import { DEMO_CLIP, REPO_ROOT, until } from '../support/test-engine';
import { startReceiver, type WebhookReceiver } from '../unit/alerts/webhook-receiver';

const HEADLESS = join(REPO_ROOT, 'out', 'main', 'headless.js');
const BURST = 50;
/** The receiver takes this long per request, so the burst lasts seconds and the kill lands inside it. */
const RECEIVER_DELAY_MS = 150;
/** The kill comes as the receiver takes this POST (it is left unanswered: in flight for sure). */
const KILL_AT_POST = 12;

interface Host {
  child: ChildProcess;
  base: string;
  token: string;
  output: string[];
  api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
}

async function startHost(dataDir: string): Promise<Host> {
  if (!existsSync(HEADLESS)) throw new Error('out/main/headless.js missing: run `npm run build` first (npm test does)');
  const child = spawn(process.execPath, [HEADLESS, '--headless', '--no-demo', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stderr!.on('data', (data: Buffer) => output.push(data.toString()));
  const url = await new Promise<URL>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready line:\n${output.join('')}`)), 30_000);
    child.stdout!.on('data', (data: Buffer) => {
      const match = /Vigil ready: (\S+)/.exec(data.toString());
      if (match) {
        clearTimeout(timer);
        resolve(new URL(match[1]!));
      }
    });
    child.once('exit', (code) => reject(new Error(`host exited with ${code}:\n${output.join('')}`)));
  });
  const token = url.searchParams.get('token')!;
  return {
    child,
    base: url.origin,
    token,
    output,
    async api<T>(method: string, path: string, body?: unknown) {
      const response = await fetch(url.origin + path, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: response.status, body: (await response.json()) as T };
    },
  };
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

const dataDir = mkdtempSync(join(tmpdir(), 'vigil-alerts-outbox-'));
const footage = join(dataDir, 'footage', 'gate.mp4');
let receiver: WebhookReceiver | null = null;
const hosts: Host[] = [];

afterAll(async () => {
  for (const host of hosts) {
    if (host.child.exitCode === null && host.child.signalCode === null) {
      host.child.kill('SIGTERM');
      await exited(host.child);
    }
  }
  await receiver?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('alert outbox across a crash', () => {
  it('delivers every alert of a burst exactly once at the receiver after a SIGKILL mid-burst', async () => {
    let killedAt = 0;
    let first: Host | null = null;
    receiver = await startReceiver((_post, index) => {
      if (index + 1 === KILL_AT_POST && first) {
        killedAt = Date.now();
        first.child.kill('SIGKILL');
        return 'hang';
      }
      return { status: 200, delayMs: RECEIVER_DELAY_MS };
    });

    first = await startHost(dataDir);
    hosts.push(first);
    const recipient = await first.api<Recipient>('POST', '/api/alerts/recipients', { channel: 'webhook', address: receiver.url, name: 'Alarm receiving centre' });
    expect(recipient.status, JSON.stringify(recipient.body)).toBe(201);
    const settings = await first.api('PUT', '/api/alerts/settings', {
      siteName: 'Crash test depot',
      timeZone: 'UTC',
      // Cooldown off: every incident of the burst is its own alert (the burst is the point here).
      policies: [{ id: 'offline', name: 'Cameras down', ruleTypes: ['camera-offline'], channels: ['webhook'], recipientIds: [recipient.body.id], cooldownMs: 0, maxPerHour: 10_000, digestWindowMs: 0 }],
    });
    expect(settings.status, JSON.stringify(settings.body)).toBe(200);
    const camera = await first.api<CameraView>('POST', '/api/cameras', { name: 'Gate', mainUrl: pathToFileURL(footage).href, options: { detect: false, record: false } });
    expect(camera.status, JSON.stringify(camera.body)).toBe(201);
    const cameraId = camera.body.id;
    const rules = Array.from({ length: BURST }, (_, i) => ({
      id: `down-${i}`,
      cameraId,
      name: `Gate down (${i})`,
      type: 'camera-offline',
      severity: 'high',
      enabled: true,
      schedule: [],
      timeZone: 'UTC',
      afterMs: 8000,
    }));
    const put = await first.api('PUT', `/api/cameras/${cameraId}/rules`, { zones: [], lines: [], rules });
    expect(put.status, JSON.stringify(put.body)).toBe(200);

    // The camera stays down; after the rules' wait the burst is raised, stored and sent, until the kill.
    await until('the kill mid-burst', () => killedAt > 0, 45_000);
    await exited(first.child);
    expect(first.child.signalCode).toBe('SIGKILL');
    const postsBeforeRestart = receiver.posts.length;
    expect(postsBeforeRestart).toBeGreaterThanOrEqual(KILL_AT_POST);
    expect(receiver.unique.size).toBeLessThan(BURST);

    // The camera's footage appears, so the restarted engine finds it live and raises nothing new.
    mkdirSync(join(dataDir, 'footage'), { recursive: true });
    copyFileSync(DEMO_CLIP, footage);
    const second = await startHost(dataDir);
    hosts.push(second);
    const all = async () => (await second.api<DeliveryPage>('GET', '/api/alerts/deliveries?limit=500')).body.deliveries;
    const deliveries = await until('every alert delivered after the restart', async () => {
      const list = await all();
      return list.length >= BURST && list.every((d) => d.state === 'delivered') ? list : null;
    }, 60_000);

    // The burst: 50 alerts, stored before the kill, one per incident, each with its own key.
    const burst = deliveries.filter((d) => d.createdAt <= killedAt);
    expect(burst).toHaveLength(BURST);
    expect(new Set(burst.map((d) => d.incidentId)).size).toBe(BURST);
    expect(burst.every((d) => d.kind === 'camera-offline' && d.channel === 'webhook')).toBe(true);
    const keys = new Set(deliveries.map((d) => d.idempotencyKey));
    expect(keys.size).toBe(deliveries.length);

    // At the receiver: every alert's key, and no key the outbox does not know (a key made up
    // again after the restart would show here as a second copy of the same alert).
    for (const d of burst) expect(receiver.unique.has(d.idempotencyKey), `alert ${d.id} reached the receiver`).toBe(true);
    expect(new Set(receiver.unique.keys())).toEqual(keys);
    const processedPerAlert = new Map<string, number>();
    for (const post of receiver.unique.values()) processedPerAlert.set(post.alertId!, (processedPerAlert.get(post.alertId!) ?? 0) + 1);
    expect([...processedPerAlert.values()].every((n) => n === 1)).toBe(true);
    expect(processedPerAlert.size).toBe(deliveries.length);

    // The raw POSTs: the ones in flight at the kill came again, with the same key, alert and body.
    const repeats = receiver.posts.length - receiver.unique.size;
    expect(repeats).toBeGreaterThanOrEqual(1);
    expect(repeats).toBeLessThanOrEqual(4); // the webhook dispatcher has at most 4 sends in flight
    for (const post of receiver.posts) {
      const original = receiver.unique.get(post.key)!;
      expect(post.alertId).toBe(original.alertId);
      expect(post.raw).toBe(original.raw);
    }
    // Rows claimed before the kill were sent again; some may not have reached the receiver the first time.
    const resent = burst.filter((d) => d.attempts > 1);
    expect(resent.length).toBeGreaterThanOrEqual(repeats);
    expect(second.output.join('')).toMatch(/mid-send when the engine stopped; sending them again with the same idempotency keys/);
  }, 150_000);
});
