// Alerts: incidents -> policy -> outbox (stored first) -> one dispatcher per channel ->
// delivery state back into the outbox. Every incident event is decided on and its alerts
// stored in one transaction; only then are the dispatchers woken. A crash loses nothing
// stored: at start, rows left `sending` are queued again with the same idempotency key.
import { EventEmitter } from 'node:events';
import type { EngineEvent } from '../../../shared/api';
import type { CameraState } from '../../../shared/cameras';
import type { ChannelKind, ChannelStatus, Delivery, DeliveryPage, DeliveryQuery, Recipient, TestSend } from '../../../shared/alerts';
import type { Incident } from '../../../shared/incidents';
import { EngineError } from '../engine-error';
import type { IncidentService } from '../incidents/incident-service';
import type { SecretBox } from '../secrets/secret-box';
import type { Db } from '../store/database';
import { handleReply, type AckResult } from './ack-reply';
import { AlertConfig } from './alert-config';
import { deliveriesFor, testDeliveries, type EnqueueContext } from './alert-enqueue';
import { CameraDownWatch } from './camera-down-watch';
import type { AlertChannel, AlertRecipient, InboundReply } from './channel';
import { DesktopChannel } from './desktop-channel';
import { Dispatcher } from './dispatcher';
import type { NewDelivery, OutboxRow } from './outbox-repo';
import { OutboxRepo, toDelivery } from './outbox-repo';
import { PolicyBook } from './policy-book';
import { IncidentFacts } from './incident-facts';
import { PolicyEngine, type AlertPlan } from './policy-engine';
import { DESKTOP_RECIPIENT } from './recipients-repo';
import { WebhookChannel } from './webhook-channel';

export interface AlertServiceDeps {
  db: Db;
  box: SecretBox;
  dataDir: string;
  incidents: IncidentService;
  log: (line: string) => void;
  now?: () => number;
  random?: () => number;
  /** How often escalations, digests, expiry and the camera watch are checked (default 1 s). */
  tickMs?: number;
  /** Webhook request timeout (default 10 s). */
  webhookTimeoutMs?: number;
}

/**
 * Webhooks go to different receivers: a few at once so one slow receiver does not hold up the
 * rest. Banners cost nothing to show: claimed in batches.
 */
const CONCURRENCY: Partial<Record<ChannelKind, number>> = { webhook: 4, desktop: 8 };
/** How far back a restart looks for incidents raised without an alert decision (a crash in between). */
const RECOVER_DECISIONS_MS = 10 * 60_000;
const KEEP_LOG_MS = 30 * 24 * 60 * 60_000;

export class AlertService extends EventEmitter<{ event: [EngineEvent] }> {
  readonly config: AlertConfig;
  readonly outbox: OutboxRepo;
  private readonly engine: PolicyEngine;
  private readonly book: PolicyBook;
  private readonly cameraWatch: CameraDownWatch;
  private readonly facts: IncidentFacts;
  private readonly channels = new Map<ChannelKind, AlertChannel>();
  private readonly dispatchers = new Map<ChannelKind, Dispatcher>();
  private readonly now: () => number;
  private timer: NodeJS.Timeout | null = null;
  private started = false;
  private stopped = false;
  private prunedAt = 0;
  /** Incident events waiting for this turn's batch decision. */
  private pending: Incident[] = [];

  constructor(private readonly deps: AlertServiceDeps) {
    super();
    this.now = deps.now ?? Date.now;
    this.config = new AlertConfig(deps.db, deps.box, (kind) => this.channels.get(kind), deps.log, this.now);
    this.outbox = new OutboxRepo(deps.db);
    this.book = new PolicyBook(deps.db);
    this.facts = new IncidentFacts(deps.incidents, deps.dataDir, this.now);
    this.engine = new PolicyEngine(this.book, () => this.config.settings(), this.now);
    this.cameraWatch = new CameraDownWatch({
      settings: () => this.config.settings().cameraOffline,
      hasOfflineRule: (cameraId) => this.facts.hasOfflineRule(cameraId),
      subject: (subject) => this.decide(() => this.engine.onSubject(subject)),
      now: this.now,
    });
    this.addChannel(new WebhookChannel({ secretFor: (id) => this.config.recipients.secret(id), timeoutMs: deps.webhookTimeoutMs, userAgent: 'Vigil alerts', now: this.now }));
    this.addChannel(new DesktopChannel((banner) => this.emit('event', { type: 'alert.banner', banner }), this.now));
  }

  /** Listens to incident events and to the cameras' states (for cameras down without a rule). */
  follow(incidents: IncidentService, cameras: EventEmitter<{ event: [EngineEvent] }>): void {
    incidents.on('event', (event) => event.type === 'incident.updated' && this.incident(event.incident));
    cameras.on('event', (event) => {
      if (event.type === 'hello') return;
      if (event.type === 'camera.removed') this.cameraWatch.removed(event.id);
      else if (event.type === 'camera.status' || event.type === 'camera.updated' || event.type === 'camera.added') this.cameraStatus(event.camera.id, event.camera.name, event.camera.status.state);
    });
  }

  /** Adds a channel (the WhatsApp worker registers itself this way); started at once when the service runs. */
  addChannel(channel: AlertChannel): void {
    if (this.channels.has(channel.kind)) throw new Error(`an alert channel of kind ${channel.kind} is registered already`);
    this.channels.set(channel.kind, channel);
    channel.on('status', (status) => this.emit('event', { type: 'alert.channel', status }));
    channel.on('delivered', ({ providerId, at }) => this.guard('receipt', () => {
      const id = this.outbox.delivered(providerId, at);
      if (id) this.changed(id);
    }));
    channel.on('reply', (reply) => void this.reply(reply));
    const dispatcher = new Dispatcher({
      channel,
      outbox: this.outbox,
      recipient: (id) => this.config.recipients.target(id),
      snapshot: (row) => this.facts.snapshot(row),
      changed: (id) => this.changed(id),
      log: this.deps.log,
      now: this.now,
      random: this.deps.random,
      concurrency: CONCURRENCY[channel.kind] ?? 1,
    });
    this.dispatchers.set(channel.kind, dispatcher);
    if (this.started && !this.stopped) this.startChannel(channel, dispatcher);
  }

  /** Recovers what a crash left mid-send, then starts every channel and its dispatcher. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const recovered = this.outbox.recoverSending(this.now());
    if (recovered.length) this.deps.log(`alerts: ${recovered.length} alert(s) were mid-send when the engine stopped; sending them again with the same idempotency keys`);
    this.guard('expiry', () => this.expire());
    this.recoverDecisions();
    for (const [kind, channel] of this.channels) this.startChannel(channel, this.dispatchers.get(kind)!);
    this.timer = setInterval(() => this.tick(), this.deps.tickMs ?? 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    // Decisions still waiting for their batch are stored: they are sent at the next start.
    this.flush();
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.dispatchers.values()].map((d) => d.stop()));
    await Promise.all([...this.channels.values()].map((c) => c.stop().catch((error: Error) => this.deps.log(`alerts: ${c.kind} channel did not stop cleanly: ${error.message}`))));
  }

  // ----- API ---------------------------------------------------------------------------

  channelStatuses(): ChannelStatus[] {
    return [...this.channels.values()].map((c) => c.status());
  }

  channel(kind: ChannelKind): AlertChannel | undefined {
    return this.channels.get(kind);
  }

  deliveries(query: DeliveryQuery): DeliveryPage {
    return this.outbox.list(query);
  }

  /** A test alert through the real outbox and channels, to the chosen or all enabled recipients. */
  testSend(request: TestSend): Delivery[] {
    const all = this.config.recipients.list();
    for (const id of request.recipientIds ?? []) {
      if (!all.some((r) => r.id === id)) throw new EngineError('ALERT_RECIPIENT_UNKNOWN', `No recipient with id ${id}.`, 400);
    }
    const targets: AlertRecipient[] = all
      .filter((r) => (request.recipientIds ? request.recipientIds.includes(r.id) : r.enabled))
      .filter((r) => !request.channels || request.channels.includes(r.channel))
      .map((r) => ({ id: r.id, channel: r.channel, address: r.address, name: r.name }));
    if (request.channels ? request.channels.includes('desktop') : !request.recipientIds) targets.push(DESKTOP_RECIPIENT);
    if (targets.length === 0) throw new EngineError('ALERT_RECIPIENT_UNKNOWN', 'No enabled recipient matches: add a recipient or choose another channel.', 400);
    const now = this.now();
    const ids = this.store(testDeliveries(targets, { site: this.site(), now }), now);
    return ids.map((id) => toDelivery(this.outbox.get(id)!));
  }

  /** Queues a failed or expired delivery again (same key: the receiver may have seen it). */
  retry(id: string): Delivery {
    const row = this.outbox.get(id);
    if (!row) throw new EngineError('RESOURCE_NOT_FOUND', `No delivery with id ${id}.`, 404);
    if (!this.outbox.requeue(id, this.now())) throw new EngineError('ALERT_RETRY_INVALID', `This delivery is ${row.state}: only a failed or expired one can be sent again.`, 409);
    this.changed(id);
    if (row.channel) this.dispatchers.get(row.channel)?.wake();
    return toDelivery(this.outbox.get(id)!);
  }

  /** An operator's reply through a channel (ACK); exposed for the channels and tests. */
  reply(reply: InboundReply): AckResult | null {
    return this.guard('reply', () =>
      handleReply(reply, {
        recipients: (channel, address) => this.config.recipients.byAddress(channel, address),
        incidentOfMessage: (providerId) => this.outbox.byProviderId(providerId)?.incident_id ?? null,
        alertedIncidents: (prefix) => this.outbox.alertedIncidents(prefix),
        acknowledge: (incidentId, who) => this.deps.incidents.act(incidentId, { action: 'acknowledge', who }),
        log: this.deps.log,
      }),
    );
  }

  // ----- internals ---------------------------------------------------------------------

  private startChannel(channel: AlertChannel, dispatcher: Dispatcher): void {
    channel.start().catch((error: Error) => this.deps.log(`alerts: ${channel.kind} channel did not start: ${error.message}`));
    dispatcher.start();
  }

  /**
   * Incident events are decided on in batches: every event of one synchronous run of the
   * incident service (a frame that raises 50 incidents) in one transaction, right after it.
   * A burst then costs one commit instead of one per incident; a crash in between is what
   * recoverDecisions() covers.
   */
  private incident(incident: Incident): void {
    if (this.stopped) return;
    this.pending.push(incident);
    if (this.pending.length === 1) queueMicrotask(() => this.flush());
  }

  private flush(): void {
    const batch = this.pending.splice(0);
    if (batch.length === 0) return;
    const now = this.now();
    const ids = this.guard('policy', () =>
      this.deps.db.transaction(() =>
        // Each decision in its own savepoint: one that fails is logged, the others stand.
        batch.flatMap((incident) => this.guard('policy', () => this.deps.db.transaction(() => this.storeDecisions(this.engine.onSubject(this.facts.subject(incident)), now, incident))()) ?? []),
      )(),
    );
    this.announce(ids ?? []);
  }

  /** Incidents whose alert decision a crash prevented (see PolicyBook.undecidedIncidents). */
  private recoverDecisions(): void {
    const ids = this.guard('recovery', () => this.book.undecidedIncidents(this.now() - RECOVER_DECISIONS_MS)) ?? [];
    for (const id of ids) {
      const incident = this.facts.incident(id);
      if (incident) this.decide(() => this.engine.onSubject(this.facts.subject(incident), true), incident);
    }
  }

  private cameraStatus(cameraId: string, name: string, state: CameraState): void {
    if (!this.stopped) this.guard('camera watch', () => this.cameraWatch.status(cameraId, name, state));
  }

  /** Runs a policy decision and stores its alerts in one transaction; then wakes the dispatchers. */
  private decide(plan: () => AlertPlan[], known?: Incident): void {
    this.guard('policy', () => {
      const now = this.now();
      this.announce(this.deps.db.transaction(() => this.storeDecisions(plan(), now, known))());
    });
  }

  /** Stores the rows that carry out these decisions (inside the caller's transaction); their ids. */
  private storeDecisions(plans: AlertPlan[], now: number, known?: Incident): string[] {
    if (plans.length === 0) return [];
    const context = this.context(now, known);
    return this.store(plans.flatMap((p) => deliveriesFor(p, context)), now, false);
  }

  /** Inserts rows; announces them unless the caller will after its transaction commits. */
  private store(rows: NewDelivery[], now: number, announce = true): string[] {
    const ids = this.outbox.insert(rows, now);
    if (announce) this.announce(ids);
    return ids;
  }

  private announce(ids: string[]): void {
    const channels = new Set<ChannelKind>();
    for (const id of ids) {
      const row = this.changed(id);
      if (row?.channel && row.state === 'queued') channels.add(row.channel);
    }
    for (const kind of channels) this.dispatchers.get(kind)?.wake();
  }

  private context(now: number, known?: Incident): EnqueueContext {
    let recipients: Recipient[] | null = null;
    return {
      site: this.site(),
      now,
      recipients: () => (recipients ??= this.config.recipients.list()),
      // The incident of the event being decided on is at hand: no need to read it back.
      incident: (id) => (known?.id === id ? known : this.facts.incident(id)),
      places: (incident) => this.facts.places(incident),
    };
  }

  private site() {
    const settings = this.config.settings();
    return { name: settings.siteName, timeZone: settings.timeZone };
  }

  private tick(): void {
    if (this.stopped) return;
    this.guard('expiry', () => this.expire());
    this.decide(() => this.engine.due());
    this.guard('camera watch', () => this.cameraWatch.tick());
    const now = this.now();
    if (now - this.prunedAt > 60 * 60_000) {
      this.prunedAt = now;
      this.guard('prune', () => this.outbox.prune(now - KEEP_LOG_MS) + this.book.prune(now - KEEP_LOG_MS));
    }
  }

  private expire(): void {
    for (const id of this.outbox.expire(this.now())) this.changed(id);
  }

  private changed(id: string): OutboxRow | null {
    const row = this.outbox.get(id);
    if (row) this.emit('event', { type: 'alert.delivery', delivery: toDelivery(row) });
    return row;
  }

  /** A storage failure (a full disk) is logged; it never takes the incident flow down with it. */
  private guard<T>(what: string, work: () => T): T | null {
    try {
      return work();
    } catch (error) {
      this.deps.log(`alerts: ${what}: ${(error as Error).message}`);
      return null;
    }
  }
}
