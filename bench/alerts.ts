// npm run bench:alerts — how fast alerts leave the engine, and what a burst costs.
//
// In-process, the real path: rule hits (synthetic people walking into a zone) through the real
// IncidentService into the real AlertService (policy, SQLite outbox, dispatchers) and its
// webhook and desktop channels; the webhook receiver is a separate Node process on 127.0.0.1
// so it does not share the engine's event loop. Policies have no cooldown (throttling is not
// what is measured here).
//
//   latency: incident raised -> channel send invoked, per channel, p50/p95 over spaced incidents
//            (and -> the receiver got the POST, from the receiver's own clock);
//   burst:   1,000 incidents in one frame: outbox throughput (alerts/s until the receiver has
//            them all), engine memory before/after/peak, and what each channel received;
//   baseline, same run: a bare SQLite insert per alert plus a plain local POST (no policy, no
//            outbox states), for the same count with the same concurrency.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EngineEvent } from '../src/shared/api';
import { AlertSettingsSchema } from '../src/shared/alerts';
import type { TrackedObject } from '../src/shared/detection';
import { RuleSetSchema } from '../src/shared/rules';
import { AlertService } from '../src/main/engine/alerts/alert-service';
import { IncidentService } from '../src/main/engine/incidents/incident-service';
import { SecretBox } from '../src/main/engine/secrets/secret-box';
import { openDatabase } from '../src/main/engine/store/database';
import { percentile } from './proc-stats';

const root = resolve(__dirname, '..', '..');
const arg = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const LATENCY_INCIDENTS = arg('latency', 200);
const SPACING_MS = arg('spacing', 25);
const BURST = arg('burst', 1000);
const CAMERA = 'bench-cam';
const W = 1280;
const H = 720;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;
const epochNow = () => performance.timeOrigin + performance.now();
const stats = (values: number[]) => ({ p50: round(percentile(values, 50), 3), p95: round(percentile(values, 95), 3), max: round(Math.max(0, ...values), 3), count: values.length });

// ----- the receiver: its own process, counting raw POSTs and idempotency keys -----------

const RECEIVER = `
const http = require('node:http');
const raw = { count: 0 }; const keys = new Set(); const arrivals = {};
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    raw.count++;
    const key = req.headers['idempotency-key'] || '';
    if (!keys.has(key)) {
      keys.add(key);
      try { const body = JSON.parse(Buffer.concat(chunks).toString()); const id = body.subject && body.subject.incidentId; if (id) arrivals[id] = performance.timeOrigin + performance.now(); } catch {}
    }
    res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}');
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }));
process.on('message', (m) => {
  if (m === 'stats') process.send({ raw: raw.count, unique: keys.size, arrivals });
  if (m === 'reset') { raw.count = 0; keys.clear(); for (const k of Object.keys(arrivals)) delete arrivals[k]; process.send({ reset: true }); }
});
`;

interface ReceiverStats {
  raw: number;
  unique: number;
  arrivals: Record<string, number>;
}

async function startReceiver(): Promise<{ child: ChildProcess; url: string; ask(message: 'stats' | 'reset'): Promise<ReceiverStats> }> {
  const child = spawn(process.execPath, ['-e', RECEIVER], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolvePort) => child.once('message', (m: { port: number }) => resolvePort(m.port)));
  return {
    child,
    url: `http://127.0.0.1:${port}/hook`,
    ask: (message) =>
      new Promise((resolveStats) => {
        child.once('message', (m) => resolveStats(m as ReceiverStats));
        child.send(message);
      }),
  };
}

// ----- Vigil: incidents -> alerts, in process ------------------------------------------

function person(trackId: number): TrackedObject {
  // Feet in the lower half of the picture (the zone), spread out so each is its own sighting.
  const x = 100 + ((trackId * 37) % 1080);
  const y = 420 + ((trackId * 13) % 250);
  return { trackId, state: 'active', label: 'person', classId: 0, score: 0.9, box: [x - 10, y - 40, x + 10, y] };
}

async function vigil(receiverUrl: string, ask: (m: 'stats' | 'reset') => Promise<ReceiverStats>) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-alerts-'));
  const db = openDatabase(join(dir, 'vigil.db'));
  const log = () => undefined;
  const incidents = new IncidentService({ db, camera: (id) => (id === CAMERA ? { name: 'Bench gate', state: 'live' } : null), log, statusEveryMs: 60_000 });
  incidents.putRules(
    CAMERA,
    RuleSetSchema.parse({
      zones: [{ id: 'yard', cameraId: CAMERA, name: 'Yard', kind: 'zone', polygon: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]] }],
      lines: [],
      rules: [{ id: 'intruder', cameraId: CAMERA, name: 'Person in the yard', type: 'presence', severity: 'high', enabled: true, schedule: [], timeZone: 'UTC', classes: ['person'], zoneId: 'yard', minScore: 0.5, minDurationMs: 0 }],
    }),
  );
  // Registered before the alert service: the moment each incident is raised, before alerts see it.
  const raisedAt = new Map<string, number>();
  const raisedEpoch = new Map<string, number>();
  incidents.on('event', (event) => {
    if (event.type === 'incident.updated' && !raisedAt.has(event.incident.id)) {
      raisedAt.set(event.incident.id, performance.now());
      raisedEpoch.set(event.incident.id, epochNow());
    }
  });
  const alerts = new AlertService({ db, box: new SecretBox(randomBytes(32)), dataDir: dir, incidents, log });
  alerts.follow(incidents, new EventEmitter());
  const banners = new Map<string, number>();
  alerts.on('event', (event: EngineEvent) => {
    if (event.type === 'alert.banner') banners.set(event.banner.alertId, (banners.get(event.banner.alertId) ?? 0) + 1);
  });
  const invoked: Record<'webhook' | 'desktop', Map<string, number>> = { webhook: new Map(), desktop: new Map() };
  for (const kind of ['webhook', 'desktop'] as const) {
    const channel = alerts.channel(kind)!;
    const send = channel.send.bind(channel);
    channel.send = (message, recipient, signal) => {
      if (message.incidentId && !invoked[kind].has(message.incidentId)) invoked[kind].set(message.incidentId, performance.now());
      return send(message, recipient, signal);
    };
  }
  const soc = await alerts.config.createRecipient({ channel: 'webhook', address: receiverUrl, name: 'Bench receiver', groups: [], mayAcknowledge: false, enabled: true });
  alerts.config.putSettings(AlertSettingsSchema.parse({ siteName: 'Bench', timeZone: 'UTC', policies: [{ id: 'all', name: 'All', channels: ['webhook', 'desktop'], recipientIds: [soc.id], cooldownMs: 0, maxPerHour: 10_000, digestWindowMs: 0 }] }));
  alerts.start();

  let track = 0;
  let frameAt = Date.now();
  const frame = (objects: TrackedObject[]) => incidents.frame({ cameraId: CAMERA, run: 'bench', objects, width: W, height: H, at: (frameAt += 200) });

  // Latency: one incident at a time, spaced, so nothing queues behind anything.
  for (let i = 0; i < LATENCY_INCIDENTS; i++) {
    frame([person(++track)]);
    await sleep(SPACING_MS);
  }
  const latencyIds = [...raisedAt.keys()];
  await waitFor(async () => (await ask('stats')).unique >= latencyIds.length, 'latency alerts at the receiver');
  const arrivals = (await ask('stats')).arrivals;
  const latency = {
    webhook: stats(latencyIds.map((id) => invoked.webhook.get(id)! - raisedAt.get(id)!)),
    desktop: stats(latencyIds.map((id) => invoked.desktop.get(id)! - raisedAt.get(id)!)),
    webhookAtReceiver: stats(latencyIds.filter((id) => arrivals[id] !== undefined).map((id) => arrivals[id]! - raisedEpoch.get(id)!)),
  };
  frame([]);
  await sleep(3000); // the last tracks end; the outbox is idle
  await ask('reset');
  banners.clear();

  // Burst: 1,000 people appear in one frame.
  const memoryBefore = process.memoryUsage();
  let peakRss = memoryBefore.rss;
  let peakHeap = memoryBefore.heapUsed;
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  }, 20);
  const before = new Set(raisedAt.keys());
  const started = performance.now();
  frame(Array.from({ length: BURST }, () => person(++track)));
  // The alert decisions of the frame's incidents run as one batch right after it (a microtask).
  await Promise.resolve();
  const raisedMs = performance.now() - started;
  const burstIds = [...raisedAt.keys()].filter((id) => !before.has(id));
  await waitFor(async () => (await ask('stats')).unique >= burstIds.length && banners.size >= burstIds.length, 'burst delivered', 120_000);
  const elapsedMs = performance.now() - started;
  clearInterval(sampler);
  const memoryAfter = process.memoryUsage();
  const receiver = await ask('stats');
  await sleep(500); // late repeats would show here
  const settled = await ask('stats');
  const outbox = alerts.outbox.list({ limit: 500, state: 'queued' }).deliveries.length + alerts.outbox.list({ limit: 500, state: 'sending' }).deliveries.length;
  const burst = {
    incidents: burstIds.length,
    alerts: burstIds.length * 2,
    raiseAndStoreMs: round(raisedMs, 1),
    elapsedMs: round(elapsedMs, 1),
    webhookAlertsPerSecond: round((receiver.unique / elapsedMs) * 1000, 1),
    memory: {
      rssBeforeMb: round(memoryBefore.rss / 2 ** 20, 1),
      rssAfterMb: round(memoryAfter.rss / 2 ** 20, 1),
      rssPeakMb: round(peakRss / 2 ** 20, 1),
      heapBeforeMb: round(memoryBefore.heapUsed / 2 ** 20, 1),
      heapAfterMb: round(memoryAfter.heapUsed / 2 ** 20, 1),
      heapPeakMb: round(peakHeap / 2 ** 20, 1),
    },
    received: {
      webhook: { raw: settled.raw, unique: settled.unique, duplicates: settled.raw - settled.unique },
      desktop: { banners: [...banners.values()].reduce((a, b) => a + b, 0), unique: banners.size, duplicates: [...banners.values()].reduce((a, b) => a + b, 0) - banners.size },
    },
    leftInOutbox: outbox,
  };
  await alerts.stop();
  incidents.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { latency, burst };
}

/** The same 1,000-person frame through the incident service alone: what the alerts add to raising. */
function incidentsOnly(): number {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-incidents-'));
  const db = openDatabase(join(dir, 'vigil.db'));
  const incidents = new IncidentService({ db, camera: (id) => (id === CAMERA ? { name: 'Bench gate', state: 'live' } : null), log: () => undefined, statusEveryMs: 60_000 });
  incidents.putRules(CAMERA, RuleSetSchema.parse({ zones: [{ id: 'yard', cameraId: CAMERA, name: 'Yard', kind: 'zone', polygon: [[0, 0.5], [1, 0.5], [1, 1], [0, 1]] }], lines: [], rules: [{ id: 'intruder', cameraId: CAMERA, name: 'Person in the yard', type: 'presence', severity: 'high', enabled: true, schedule: [], timeZone: 'UTC', classes: ['person'], zoneId: 'yard', minScore: 0.5, minDurationMs: 0 }] }));
  const started = performance.now();
  incidents.frame({ cameraId: CAMERA, run: 'bench', objects: Array.from({ length: BURST }, (_, i) => person(i + 1)), width: W, height: H, at: Date.now() });
  const elapsed = performance.now() - started;
  incidents.stop();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return round(elapsed, 1);
}

// ----- baseline: a bare insert and a plain POST per alert --------------------------------

async function baseline(receiverUrl: string, ask: (m: 'stats' | 'reset') => Promise<ReceiverStats>) {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-alerts-base-'));
  const db = openDatabase(join(dir, 'base.db'));
  db.exec('CREATE TABLE plain (id INTEGER PRIMARY KEY, key TEXT NOT NULL, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO plain (key, body) VALUES (?, ?)');
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  const url = new URL(receiverUrl);
  const post = (key: string, body: string) =>
    new Promise<void>((resolvePost, reject) => {
      const req = request({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'idempotency-key': key } }, (res) => {
        res.resume();
        res.on('end', () => resolvePost());
      });
      req.on('error', reject);
      req.end(body);
    });
  const body = (i: number) => JSON.stringify({ kind: 'incident', severity: 'high', title: `HIGH · Bench gate · ${i}`, subject: { incidentId: `base-${i}` } });
  // Latency: the insert, then the POST invoked.
  const latencies: number[] = [];
  for (let i = 0; i < LATENCY_INCIDENTS; i++) {
    const t0 = performance.now();
    db.transaction(() => insert.run(`l-${i}`, body(i)))();
    const sending = post(`l-${i}`, body(i));
    latencies.push(performance.now() - t0);
    await sending;
  }
  await ask('reset');
  // Throughput: the same count as the burst, four POSTs in flight like the webhook dispatcher.
  const started = performance.now();
  for (let i = 0; i < BURST; i++) db.transaction(() => insert.run(`b-${i}`, body(i)))();
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < BURST) {
        const i = next++;
        await post(`b-${i}`, body(i));
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  const received = await ask('stats');
  agent.destroy();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return { latency: stats(latencies), burst: { elapsedMs: round(elapsedMs, 1), alertsPerSecond: round((received.unique / elapsedMs) * 1000, 1), received: received.unique } };
}

async function waitFor(probe: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

async function main(): Promise<void> {
  const receiver = await startReceiver();
  try {
    console.log(`alerts bench: ${LATENCY_INCIDENTS} spaced incidents (every ${SPACING_MS} ms), then a burst of ${BURST}; webhook receiver in its own process`);
    const base = await baseline(receiver.url, receiver.ask);
    await receiver.ask('reset');
    const measured = await vigil(receiver.url, receiver.ask);
    const incidentsOnlyRaiseMs = incidentsOnly();
    const result = {
      at: new Date().toISOString(),
      machine: { cpus: cpus().length, model: cpus()[0]?.model ?? null, node: process.version },
      latencyMs: { ...measured.latency, baseline: base.latency },
      burst: { ...measured.burst, incidentsOnlyRaiseMs, baselineAlertsPerSecond: base.burst.alertsPerSecond, ratioToBaseline: round(measured.burst.webhookAlertsPerSecond / base.burst.alertsPerSecond, 3) },
    };
    const l = result.latencyMs;
    const b = result.burst;
    console.table({
      'raised -> webhook send invoked (ms)': { p50: l.webhook.p50, p95: l.webhook.p95, max: l.webhook.max },
      'raised -> desktop send invoked (ms)': { p50: l.desktop.p50, p95: l.desktop.p95, max: l.desktop.max },
      'raised -> POST at receiver (ms)': { p50: l.webhookAtReceiver.p50, p95: l.webhookAtReceiver.p95, max: l.webhookAtReceiver.max },
      'baseline: insert -> POST invoked (ms)': { p50: l.baseline.p50, p95: l.baseline.p95, max: l.baseline.max },
    });
    console.table({
      [`burst of ${b.incidents} incidents`]: { 'alerts/s (webhook)': b.webhookAlertsPerSecond, 'baseline alerts/s': b.baselineAlertsPerSecond, ratio: b.ratioToBaseline, 'elapsed ms': b.elapsedMs, 'raise+store ms': b.raiseAndStoreMs, 'incidents alone ms': b.incidentsOnlyRaiseMs },
    });
    console.table({
      memory: { 'RSS before MB': b.memory.rssBeforeMb, 'RSS after MB': b.memory.rssAfterMb, 'RSS peak MB': b.memory.rssPeakMb, 'heap before MB': b.memory.heapBeforeMb, 'heap after MB': b.memory.heapAfterMb, 'heap peak MB': b.memory.heapPeakMb },
    });
    console.table({
      webhook: { received: b.received.webhook.raw, unique: b.received.webhook.unique, duplicates: b.received.webhook.duplicates },
      desktop: { received: b.received.desktop.banners, unique: b.received.desktop.unique, duplicates: b.received.desktop.duplicates },
    });
    const dir = join(root, 'bench', 'results');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'alerts.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('saved bench/results/alerts.json');
  } finally {
    receiver.child.kill();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
