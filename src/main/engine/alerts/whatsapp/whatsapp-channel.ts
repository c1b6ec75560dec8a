// The WhatsApp alert channel as the engine sees it. Baileys runs in a worker process
// (whatsapp-worker.ts) started through the WorkerLauncher: a Node fork headless, an Electron
// utilityProcess on the desktop. A worker runs only while there is something to do (a
// stored link, or a link in progress); one that dies is restarted with backoff.
//
// The auth state stays in the engine's database and the worker asks for it over IPC rather
// than opening the SQLite file itself: the engine keeps its one connection and one writer,
// the key never leaves the engine, and the worker needs no native module (better-sqlite3
// would have to be loaded in the utilityProcess too). A batch of keys is one IPC message and
// one SQLite transaction, so nothing is lost in the split.
import { EventEmitter } from 'node:events';
import type { ChannelStatus } from '../../../../shared/alerts';
import { ALERT_REASONS } from '../../../../shared/reasons';
import { normalizeWhatsAppAddress } from '../../../../shared/whatsapp';
import { backoffDelay, type BackoffPolicy } from '../../cameras/backoff';
import type { WorkerChannel, WorkerLauncher } from '../../inference/worker-host';
import type { AlertChannel, AlertMessage, AlertRecipient, ChannelEvents, SendOutcome } from '../channel';
import { answerAuth } from './auth-host';
import type { WhatsAppAuthStore } from './auth-store';
import type { CheckResult } from './messenger';
import { messageIdFor } from './outbound';
import type { FromWorker, ToWorker, WorkerSettings } from './protocol';
import type { LinkRequest, SessionStatus } from './session-types';

export interface WhatsAppChannelOptions {
  launcher: WorkerLauncher;
  /** The worker's script, asked for at the first launch. */
  script: () => string;
  store: WhatsAppAuthStore;
  log: (line: string) => void;
  settings?: Partial<WorkerSettings>;
  /** Restarts of a crashed worker. */
  restartBackoff?: BackoffPolicy;
  /** How long a link request waits for the QR payload or pairing code. */
  linkWaitMs?: number;
  now?: () => number;
}

interface Worker {
  channel: WorkerChannel;
  stopping: boolean;
  exited: Promise<void>;
}

const DEFAULT_SETTINGS: WorkerSettings = { waWebSocketUrl: null, version: null, connectTimeoutMs: null, logLevel: 'warn', session: {} };
const CHECK_TIMEOUT_MS = 12_000;
const CANCELLED: SendOutcome = { ok: false, retry: true, reason: 'WHATSAPP_SEND_CANCELLED', message: ALERT_REASONS.WHATSAPP_SEND_CANCELLED };
const CRASHED: SendOutcome = { ok: false, retry: true, reason: 'WHATSAPP_WORKER_CRASHED', message: ALERT_REASONS.WHATSAPP_WORKER_CRASHED };

export class WhatsAppChannel extends EventEmitter<ChannelEvents> implements AlertChannel {
  readonly kind = 'whatsapp' as const;
  private worker: Worker | null = null;
  private current: ChannelStatus;
  /** Requests waiting for the worker's answer; answered with null when that worker exits. */
  private readonly pending = new Map<number, { worker: Worker; resolve: (message: FromWorker | null) => void }>();
  private nextId = 1;
  private crashes = 0;
  private restartTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly options: WhatsAppChannelOptions) {
    super();
    this.now = options.now ?? Date.now;
    const linkedAs = options.store.linkedAs();
    this.current = linkedAs
      ? { kind: 'whatsapp', state: 'disconnected', reason: null, message: 'WhatsApp starts with the alerts.', linkedAs, qr: null, pairingCode: null, since: this.now() }
      : this.notLinked();
  }

  status(): ChannelStatus {
    return this.current;
  }

  /** Connects a stored link; with none, WhatsApp stays off (no worker) until the operator links. */
  async start(): Promise<void> {
    this.stopped = false;
    if (!this.options.store.linkedAs()) return this.setStatus(this.notLinked());
    this.post(this.launch(), { type: 'connect' });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    await this.stopWorker();
  }

  async send(message: AlertMessage, recipient: AlertRecipient, signal: AbortSignal): Promise<SendOutcome> {
    const address = normalizeWhatsAppAddress(recipient.address);
    if (!address.ok) return { ok: false, retry: false, reason: address.reason, message: address.message };
    const worker = this.worker;
    if (!worker || worker.stopping) return this.notRunning();
    if (signal.aborted) return CANCELLED;
    const id = this.nextId++;
    const answer = this.answerFor(worker, id);
    // One listener, removed after: the dispatcher's signal lives as long as the engine.
    let onAbort = () => undefined as void;
    const aborted = new Promise<'aborted'>((resolve) => {
      onAbort = () => {
        this.post(worker, { type: 'cancel', id });
        resolve('aborted');
      };
    });
    signal.addEventListener('abort', onAbort, { once: true });
    this.post(worker, { type: 'send', id, request: { jid: address.jid, text: message.text, imagePath: message.snapshotPath, messageId: messageIdFor(message.idempotencyKey, address.jid) } });
    try {
      const reply = await Promise.race([answer, aborted]);
      if (reply === 'aborted') return CANCELLED;
      if (reply?.type === 'sent') return reply.outcome;
      return worker.stopping ? CANCELLED : CRASHED;
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async checkAddress(address: string): Promise<CheckResult> {
    const parsed = normalizeWhatsAppAddress(address);
    if (!parsed.ok) return { ok: false, reason: parsed.reason, message: parsed.message };
    const worker = this.worker;
    if (!worker || worker.stopping) return this.notRunning();
    const id = this.nextId++;
    const answer = this.answerFor(worker, id);
    this.post(worker, { type: 'check', id, address: parsed.jid });
    // An operator is waiting for this; WhatsApp's own query timeout is a minute.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), CHECK_TIMEOUT_MS)));
    const reply = await Promise.race([answer, timeout]);
    clearTimeout(timer);
    if (reply === 'timeout') {
      this.pending.delete(id);
      return { ok: false, reason: 'WHATSAPP_DISCONNECTED', message: `${ALERT_REASONS.WHATSAPP_DISCONNECTED} (WhatsApp did not answer the number check in time)` };
    }
    return reply?.type === 'checked' ? reply.result : { ok: false, reason: 'WHATSAPP_WORKER_CRASHED', message: ALERT_REASONS.WHATSAPP_WORKER_CRASHED };
  }

  /** Starts linking (or reconnects a linked number); answers once a QR payload or pairing code is there, or it failed. */
  async link(request: LinkRequest): Promise<ChannelStatus> {
    if (this.stopped) return this.current;
    // Connected, or on its way: nothing to start.
    if (this.current.linkedAs && this.worker && !this.worker.stopping && (this.current.state === 'ready' || this.current.state === 'connecting')) return this.current;
    const settled = new Promise<void>((resolve) => {
      const onStatus = (status: ChannelStatus) => {
        // A code to show, a connection, or a reason (the first attempt failed; it retries with backoff).
        if (status.qr || status.pairingCode || status.reason || status.state !== 'connecting') finish();
      };
      const finish = () => {
        clearTimeout(timer);
        this.off('status', onStatus);
        resolve();
      };
      const timer = setTimeout(finish, this.options.linkWaitMs ?? 20_000);
      this.on('status', onStatus);
    });
    this.post(this.launch(), { type: 'link', request });
    await settled;
    return this.current;
  }

  /** Logs the device out (when connected), wipes the stored link and stops the worker. */
  async unlink(): Promise<ChannelStatus> {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    const worker = this.worker;
    if (worker && !worker.stopping) {
      const id = this.nextId++;
      const answer = this.answerFor(worker, id);
      this.post(worker, { type: 'unlink', id });
      await Promise.race([answer, new Promise((resolve) => setTimeout(resolve, 10_000))]);
      await this.stopWorker();
    }
    this.options.store.wipe();
    this.setStatus(this.notLinked());
    return this.current;
  }

  private launch(): Worker {
    if (this.worker && !this.worker.stopping) return this.worker;
    const channel = this.options.launcher(this.options.script(), 'whatsapp');
    let exited!: () => void;
    const worker: Worker = { channel, stopping: false, exited: new Promise((resolve) => (exited = resolve)) };
    this.worker = worker;
    channel.onMessage((message) => this.onMessage(worker, message as FromWorker));
    channel.onExit((code, signal) => {
      exited();
      this.onExit(worker, code, signal);
    });
    this.post(worker, { type: 'start', settings: { ...DEFAULT_SETTINGS, ...this.options.settings } });
    return worker;
  }

  private async stopWorker(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    worker.stopping = true;
    this.post(worker, { type: 'stop' });
    const timeout = (ms: number) => new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms).unref());
    if ((await Promise.race([worker.exited, timeout(5000)])) === 'timeout') {
      worker.channel.kill();
      await Promise.race([worker.exited, timeout(2000)]);
    }
  }

  private onMessage(worker: Worker, message: FromWorker): void {
    switch (message.type) {
      case 'status':
        // A stopping worker's last words do not override the current state.
        if (worker === this.worker) this.onWorkerStatus(message.status);
        return;
      case 'sent':
      case 'checked':
      case 'unlinked':
        this.pending.get(message.id)?.resolve(message);
        return;
      case 'delivered':
        this.emit('delivered', { providerId: message.providerId, at: message.at });
        return;
      case 'reply':
        this.emit('reply', { channel: 'whatsapp', ...message.reply });
        return;
      case 'auth':
        try {
          this.post(worker, { type: 'auth-result', id: message.id, ok: true, value: answerAuth(this.options.store, message.request) });
        } catch (error) {
          this.options.log(`whatsapp: auth state ${message.request.op} failed: ${(error as Error).message}`);
          this.post(worker, { type: 'auth-result', id: message.id, ok: false, message: (error as Error).message });
        }
        return;
      case 'log':
        this.options.log(`whatsapp: ${message.line}`);
        return;
      case 'stopped':
        return;
    }
  }

  private onWorkerStatus(status: SessionStatus): void {
    this.setStatus({ kind: 'whatsapp', since: this.current.since, ...status });
    if (status.state === 'ready') this.crashes = 0;
    // Nothing left to do (logged out, link expired, connection replaced, stale version): no worker.
    const idle = (status.state === 'needs-link' && !status.qr && !status.pairingCode) || status.state === 'disconnected';
    if (idle) void this.stopWorker();
  }

  private onExit(worker: Worker, code: number | null, signal: string | null): void {
    for (const entry of [...this.pending.values()]) if (entry.worker === worker) entry.resolve(null);
    if (worker !== this.worker) return;
    this.worker = null;
    if (this.stopped) return;
    const delay = backoffDelay(this.crashes++, this.options.restartBackoff ?? { baseMs: 1000, maxMs: 60_000, jitter: 0.2 });
    this.options.log(`whatsapp: worker exited (code ${code}, signal ${signal}); restarting in ${delay} ms`);
    this.setStatus({ ...this.current, state: 'connecting', reason: 'WHATSAPP_WORKER_CRASHED', message: ALERT_REASONS.WHATSAPP_WORKER_CRASHED, qr: null, pairingCode: null });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      // A link in progress died with the worker: start() finds no link and stays off.
      if (!this.stopped) void this.start();
    }, delay);
  }

  /** Resolves with the worker's answer to request `id`, or null if the worker exits first. */
  private answerFor(worker: Worker, id: number): Promise<FromWorker | null> {
    return new Promise((resolve) => {
      this.pending.set(id, {
        worker,
        resolve: (message) => {
          this.pending.delete(id);
          resolve(message);
        },
      });
    });
  }

  private notRunning(): Extract<SendOutcome, { ok: false }> {
    // Only a worker on its way back (a crash restart) is worth a retry.
    if (this.current.state === 'connecting') return { ok: false, retry: true, reason: this.current.reason ?? 'WHATSAPP_DISCONNECTED', message: this.current.message ?? ALERT_REASONS.WHATSAPP_DISCONNECTED };
    const reason = this.current.reason ?? 'WHATSAPP_NOT_LINKED';
    return { ok: false, retry: false, reason, message: this.current.message ?? ALERT_REASONS[reason] };
  }

  private notLinked(): ChannelStatus {
    return { kind: 'whatsapp', state: 'needs-link', reason: 'WHATSAPP_NOT_LINKED', message: ALERT_REASONS.WHATSAPP_NOT_LINKED, linkedAs: null, qr: null, pairingCode: null, since: this.now() };
  }

  private setStatus(next: ChannelStatus): void {
    const changed = next.state !== this.current.state || next.reason !== this.current.reason;
    this.current = { ...next, since: changed ? this.now() : this.current.since };
    this.emit('status', this.current);
  }

  private post(worker: Worker, message: ToWorker): void {
    worker.channel.postMessage(message);
  }
}
