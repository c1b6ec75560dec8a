// One dispatcher per channel works off that channel's queued outbox rows, so a slow or
// unlinked WhatsApp never holds up a webhook or the desktop banner. It claims due rows (they
// become `sending` in the database first), asks the channel to send each once, and writes
// the answer back; retries, backoff and expiry are the outbox's, not the channel's.
import type { AlertChannel, AlertMessage, AlertRecipient, SendOutcome } from './channel';
import type { OutboxRepo, OutboxRow } from './outbox-repo';
import { afterSend } from './outbox-state';

export interface DispatcherDeps {
  channel: AlertChannel;
  outbox: OutboxRepo;
  /** The recipient as it is now; null when it was deleted or switched off. */
  recipient(id: string): AlertRecipient | null;
  /** The JPEG to attach, looked up at send time (the incident's picture may land after the alert). */
  snapshot(row: OutboxRow): string | null;
  /** A row changed state (for the delivery log's live updates). */
  changed(id: string): void;
  log(line: string): void;
  now(): number;
  random?: () => number;
  /** Sends in flight at once on this channel (default 1). */
  concurrency?: number;
  /** Longest sleep when nothing is due, so a missed wake-up costs at most this (default 5 s). */
  idleMs?: number;
}

export class Dispatcher {
  private running = false;
  private readonly inFlight = new Map<string, Promise<void>>();
  private readonly abort = new AbortController();
  private wakeUp: (() => void) | null = null;
  private loopDone: Promise<void> | null = null;

  constructor(private readonly deps: DispatcherDeps) {
    deps.channel.on('status', () => this.wake());
  }

  get kind() {
    return this.deps.channel.kind;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loopDone = this.loop().catch((error: Error) => this.deps.log(`alerts: ${this.kind} dispatcher stopped: ${error.stack ?? error.message}`));
  }

  /** New rows were queued, or the channel may be ready again. */
  wake(): void {
    const wake = this.wakeUp;
    this.wakeUp = null;
    wake?.();
  }

  /** Stops claiming; sends in flight are aborted and their rows go back to the queue. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    this.wake();
    await this.loopDone;
    await Promise.all(this.inFlight.values());
  }

  private async loop(): Promise<void> {
    const limit = Math.max(1, this.deps.concurrency ?? 1);
    while (this.running) {
      const free = limit - this.inFlight.size;
      const ready = this.deps.channel.status().state === 'ready';
      const rows = ready && free > 0 ? this.deps.outbox.claim(this.kind, this.deps.now(), free) : [];
      for (const row of rows) {
        this.deps.changed(row.id);
        const sending = this.send(row).finally(() => {
          this.inFlight.delete(row.id);
          this.wake();
        });
        this.inFlight.set(row.id, sending);
      }
      if (rows.length > 0 && rows.length === free) continue;
      await this.sleep(ready ? this.deps.outbox.nextDue(this.kind, this.deps.now()) : null);
    }
  }

  private sleep(nextDue: number | null): Promise<void> {
    const idle = this.deps.idleMs ?? 5000;
    const wait = nextDue === null || this.inFlight.size >= Math.max(1, this.deps.concurrency ?? 1) ? idle : Math.max(0, Math.min(idle, nextDue - this.deps.now()));
    if (wait === 0) return new Promise((resolve) => setImmediate(resolve));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wakeUp = null;
        resolve();
      }, wait);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async send(row: OutboxRow): Promise<void> {
    const recipient = row.recipient_id ? this.deps.recipient(row.recipient_id) : null;
    let outcome: SendOutcome;
    if (!recipient) {
      outcome = { ok: false, retry: false, reason: 'ALERT_RECIPIENT_DISABLED', message: `${row.recipient_name ?? 'The recipient'} was switched off or deleted after the alert was queued.` };
    } else {
      try {
        outcome = await this.deps.channel.send(this.message(row), recipient, this.abort.signal);
      } catch (error) {
        outcome = { ok: false, retry: true, reason: 'ALERT_SEND_FAILED', message: (error as Error).message };
      }
    }
    const now = this.deps.now();
    // Cut short by the engine stopping: not the channel's fault, and not a failed attempt.
    if (this.abort.signal.aborted && !outcome.ok) {
      if (this.deps.outbox.release(row.id, now)) this.deps.changed(row.id);
      return;
    }
    const result = afterSend(outcome, row.attempts, now, this.deps.random);
    if (result.state === 'failed') this.deps.log(`alerts: ${this.kind} to ${row.recipient_name}: ${result.reason}: ${result.message}`);
    if (this.deps.outbox.settle(row.id, result, now)) this.deps.changed(row.id);
  }

  private message(row: OutboxRow): AlertMessage {
    const payload = JSON.parse(row.payload_json) as Record<string, unknown>;
    return {
      alertId: row.id,
      idempotencyKey: row.idempotency_key,
      incidentId: row.incident_id,
      kind: row.kind,
      severity: row.severity,
      title: row.title,
      text: row.text,
      snapshotPath: this.deps.snapshot(row),
      payload: { ...payload, alertId: row.id, idempotencyKey: row.idempotency_key },
    };
  }
}
