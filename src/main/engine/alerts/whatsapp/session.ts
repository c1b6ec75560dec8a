// One linked WhatsApp device, as the worker runs it: linking (QR or pairing code), the
// connection and what to do when it closes (disconnect-policy.ts), and what comes back
// (replies, receipts); sending is the messenger's. Sockets come from an injected factory
// and time from an injected clock, so the tests drive exactly this code with a fake socket.
import type { BaileysEventMap } from '@whiskeysockets/baileys';
import { ALERT_REASONS, type AlertReason } from '../../../../shared/reasons';
import { normalizeWhatsAppAddress } from '../../../../shared/whatsapp';
import { backoffDelay } from '../../cameras/backoff';
import type { SendOutcome } from '../channel';
import type { LinkAuth } from './auth-state';
import { BoundedCache } from './bounded-cache';
import { systemClock, type Clock } from './clock';
import { disconnectAction, statusCodeOf } from './disconnect-policy';
import { ackErrors, deliveredIds, repliesFrom } from './inbound';
import { Messenger, type CheckResult, type SendRequest } from './messenger';
import { DEFAULT_SESSION_CONFIG, NOT_LINKED, type LinkRequest, type SessionConfig, type SessionEvent, type SessionStatus } from './session-types';
import type { SocketFactory, WaSocket } from './socket-port';

export interface SessionDeps {
  openSocket: SocketFactory;
  /** The stored link, or (fresh) new credentials replacing whatever was stored. */
  loadAuth(fresh: boolean): Promise<LinkAuth>;
  wipeAuth(): Promise<void>;
  emit(event: SessionEvent): void;
  clock?: Clock;
  random?: () => number;
  readImage?(path: string): Promise<Buffer | null>;
  config?: Partial<SessionConfig>;
}

type Mode = 'idle' | 'link-qr' | 'link-code' | 'linked';

export class WhatsAppSession {
  private readonly config: SessionConfig;
  private readonly clock: Clock;
  private readonly messenger: Messenger;
  private readonly announced: BoundedCache<true>;
  private mode: Mode = 'idle';
  private auth: LinkAuth | null = null;
  private socket: WaSocket | null = null;
  private unsubscribe: (() => void) | null = null;
  /** Bumped for every socket and every link request: what belongs to an older one is ignored. */
  private generation = 0;
  private open = false;
  private failures = 0;
  private immediateRestarts = 0;
  private retryTimer: unknown = null;
  private linkDeadline = 0;
  private pairingPhone: string | null = null;
  /** A QR or pairing code was shown in this link attempt (a 408 then means it expired). */
  private shownCode = false;
  private restrictedUntil = 0;
  private current: SessionStatus = NOT_LINKED;

  constructor(private readonly deps: SessionDeps) {
    this.config = { ...DEFAULT_SESSION_CONFIG, ...deps.config };
    this.clock = deps.clock ?? systemClock;
    const link = { socket: () => (this.open ? this.socket : null), notReady: () => this.notReady(), restrictedUntil: () => this.restrictedUntil, restrict: (until: number | null) => this.restrict(until) };
    this.messenger = new Messenger(link, { spacing: this.config.spacing, ackWindowMs: this.config.ackWindowMs, clock: this.clock, random: deps.random ?? Math.random, readImage: deps.readImage });
    this.announced = new BoundedCache<true>({ maxEntries: 2000, ttlMs: 24 * 3600_000 }, this.clock);
  }

  status(): SessionStatus {
    return this.current;
  }

  /** Connects with the stored link; without one, stays `needs-link` and connects nowhere. */
  async connect(): Promise<void> {
    if (this.socket || this.mode !== 'idle') return;
    const auth = await this.deps.loadAuth(false);
    if (!auth.linked()) return this.setStatus(NOT_LINKED);
    this.auth = auth;
    this.reconnectLinked();
  }

  /** Links a new device; a number that is already linked just reconnects (after 440 or 405). */
  async link(request: LinkRequest): Promise<void> {
    const stored = this.auth ?? (await this.deps.loadAuth(false));
    if (stored.linked()) {
      this.auth = stored;
      if (!this.socket) this.reconnectLinked();
      return;
    }
    const phone = request.method === 'pairing-code' ? normalizeWhatsAppAddress(request.phone) : null;
    if (phone && (!phone.ok || phone.kind !== 'person')) return this.setStatus({ ...NOT_LINKED, reason: 'WHATSAPP_NUMBER_INVALID', message: ALERT_REASONS.WHATSAPP_NUMBER_INVALID });
    await this.dropSocket();
    const generation = this.generation;
    const auth = await this.deps.loadAuth(true);
    if (generation !== this.generation) return; // another request came in meanwhile
    this.auth = auth;
    this.mode = phone ? 'link-code' : 'link-qr';
    this.pairingPhone = phone?.ok && phone.kind === 'person' ? phone.digits : null;
    this.linkDeadline = this.clock.now() + this.config.linkTimeoutMs;
    this.failures = 0;
    this.immediateRestarts = 0;
    this.shownCode = false;
    this.setStatus({ state: 'connecting', reason: null, message: 'Connecting to WhatsApp to link this workstation…', qr: null, pairingCode: null });
    this.openSocket();
  }

  /** Logs the device out when connected (it leaves the phone's list) and forgets the link. */
  async unlink(): Promise<void> {
    const socket = this.open ? this.socket : null;
    this.mode = 'idle';
    if (socket) {
      const timeout = new Promise<void>((resolve) => this.clock.setTimeout(resolve, 5000));
      await Promise.race([socket.logout('Unlinked in Vigil'), timeout]).catch((error: Error) => this.log(`logout failed: ${error.message}`));
    }
    await this.dropSocket();
    await this.forget(NOT_LINKED);
  }

  async stop(): Promise<void> {
    this.mode = 'idle';
    await this.dropSocket();
  }

  send(request: SendRequest, signal?: AbortSignal): Promise<SendOutcome> {
    return this.messenger.send(request, signal);
  }

  check(address: string): Promise<CheckResult> {
    return this.messenger.check(address);
  }

  /** Why nothing can go out now; only a linked device on its way back is worth a retry. */
  private notReady(): Extract<SendOutcome, { ok: false }> {
    if (this.mode === 'linked') return { ok: false, retry: true, reason: 'WHATSAPP_DISCONNECTED', message: this.current.message ?? ALERT_REASONS.WHATSAPP_DISCONNECTED };
    const reason = this.current.state === 'disconnected' && this.current.reason ? this.current.reason : 'WHATSAPP_NOT_LINKED';
    return { ok: false, retry: false, reason, message: ALERT_REASONS[reason] };
  }

  private reconnectLinked(): void {
    this.mode = 'linked';
    this.failures = 0;
    this.immediateRestarts = 0;
    this.setStatus({ state: 'connecting', reason: null, message: 'Connecting to WhatsApp…', qr: null, pairingCode: null });
    this.openSocket();
  }

  private openSocket(): void {
    this.clearRetry();
    const generation = ++this.generation;
    const auth = this.auth!;
    this.open = false;
    let socket: WaSocket;
    try {
      socket = this.deps.openSocket(auth.state);
    } catch (error) {
      return this.onClose(generation, error);
    }
    this.socket = socket;
    let pairingAsked = false;
    this.unsubscribe = socket.ev.process((events) => {
      try {
        // Baileys has already merged the update into auth.state.creds: store the whole object.
        if (events['creds.update'] && auth === this.auth) auth.saveCreds().catch((error: Error) => this.log(`saving the credentials failed: ${error.message}`));
        if (generation !== this.generation) return;
        const update = events['connection.update'];
        if (update?.qr && this.mode === 'link-qr') this.showCode({ qr: update.qr, pairingCode: null });
        if (update?.qr && this.mode === 'link-code' && !pairingAsked) {
          // WhatsApp takes a pairing-code request once the socket has reached the QR stage.
          pairingAsked = true;
          this.requestPairingCode(generation, socket);
        }
        if (update?.isNewLogin) this.onLinked();
        if (update?.reachoutTimeLock) this.restrict(update.reachoutTimeLock.isActive ? (update.reachoutTimeLock.timeEnforcementEnds?.getTime() ?? null) : 0);
        if (update?.connection === 'open') this.onOpen();
        this.onTraffic(events);
        if (update?.connection === 'close') this.onClose(generation, update.lastDisconnect?.error);
      } catch (error) {
        this.log(`event handling failed: ${(error as Error).stack ?? String(error)}`);
      }
    });
  }

  private requestPairingCode(generation: number, socket: WaSocket): void {
    socket.requestPairingCode(this.pairingPhone!).then(
      (code) => generation === this.generation && this.showCode({ qr: null, pairingCode: code }),
      async (error: Error) => {
        if (generation !== this.generation) return;
        this.log(`pairing code refused: ${error.message}`);
        this.mode = 'idle';
        await this.dropSocket();
        await this.forget({ ...NOT_LINKED, reason: 'WHATSAPP_PAIRING_FAILED', message: ALERT_REASONS.WHATSAPP_PAIRING_FAILED });
      },
    );
  }

  private showCode(code: { qr: string | null; pairingCode: string | null }): void {
    this.shownCode = true;
    const message = code.qr ? "Scan the QR code with WhatsApp on the site's phone (Linked devices)." : "Type the pairing code in WhatsApp on the site's phone (Linked devices → Link with phone number).";
    this.setStatus({ state: 'needs-link', reason: null, message, ...code });
  }

  private onLinked(): void {
    // WhatsApp closes with 515 right after a link; the restart must use the new credentials.
    this.mode = 'linked';
    this.log('the phone accepted the link');
    this.setStatus({ state: 'connecting', reason: null, message: 'Linked; connecting…', qr: null, pairingCode: null });
  }

  private onOpen(): void {
    this.open = true;
    this.mode = 'linked';
    this.failures = 0;
    this.immediateRestarts = 0;
    const restricted = this.restrictedUntil > this.clock.now();
    this.setStatus({ state: 'ready', reason: restricted ? 'WHATSAPP_RATE_LIMITED' : null, message: restricted ? this.current.message : null, qr: null, pairingCode: null });
    this.log('connected');
  }

  private onTraffic(events: Partial<BaileysEventMap>): void {
    if (events['messages.upsert']) for (const reply of repliesFrom(events['messages.upsert'], this.clock.now())) this.deps.emit({ type: 'reply', reply });
    for (const { id, code } of ackErrors(events)) {
      this.messenger.acks.settle(id, { kind: 'error', code });
      this.log(`message ${id} refused by WhatsApp (error ${code})`);
    }
    for (const id of deliveredIds(events)) {
      this.messenger.acks.settle(id, { kind: 'delivered' });
      if (this.announced.get(id)) continue;
      this.announced.set(id, true);
      this.deps.emit({ type: 'delivered', providerId: id, at: this.clock.now() });
    }
  }

  private onClose(generation: number, error: unknown): void {
    if (generation !== this.generation) return;
    this.detach();
    if (this.mode === 'idle') return;
    const code = statusCodeOf(error);
    this.log(`connection closed (${code ?? 'no code'}: ${(error as Error | undefined)?.message ?? 'no error'})`);
    const linking = this.mode !== 'linked';
    if (linking && (this.clock.now() >= this.linkDeadline || (code === 408 && this.shownCode))) return void this.forgetNow('WHATSAPP_LINK_EXPIRED');
    const action = disconnectAction(code);
    switch (action.kind) {
      case 'reconnect-now':
        if (this.immediateRestarts++ < this.config.maxImmediateRestarts) {
          this.setStatus({ state: 'connecting', reason: null, message: 'WhatsApp asked for a fresh connection; reconnecting.', qr: null, pairingCode: null });
          return this.openSocket();
        }
        // A server that keeps asking is not helped by a tight loop.
        return this.retryLater('WHATSAPP_DISCONNECTED', code);
      case 'logged-out':
        return void this.forgetNow(linking ? 'WHATSAPP_LINK_EXPIRED' : action.reason);
      case 'stop':
        if (linking) return void this.forgetNow(action.reason);
        this.mode = 'idle';
        return this.setStatus({ state: 'disconnected', reason: action.reason, message: `${ALERT_REASONS[action.reason]} (code ${code})`, qr: null, pairingCode: null });
      case 'backoff':
        return this.retryLater(action.reason, code);
    }
  }

  private retryLater(reason: AlertReason, code: number | undefined): void {
    const delay = backoffDelay(this.failures++, this.config.backoff, this.deps.random);
    this.setStatus({ state: 'connecting', reason, message: `${ALERT_REASONS[reason]} Next try in ${Math.ceil(delay / 1000)} s (code ${code ?? 'none'}).`, qr: null, pairingCode: null });
    this.retryTimer = this.clock.setTimeout(() => this.openSocket(), delay);
  }

  /** 429/463: sends fail at once (never retried) until WhatsApp's restriction ends; 0 lifts it. */
  private restrict(until: number | null): void {
    const now = this.clock.now();
    this.restrictedUntil = until === 0 ? 0 : Math.max(this.restrictedUntil, until ?? now + this.config.restrictionMs);
    if (this.restrictedUntil > now) {
      this.setStatus({ reason: 'WHATSAPP_RATE_LIMITED', message: `${ALERT_REASONS.WHATSAPP_RATE_LIMITED} Sending resumes after ${new Date(this.restrictedUntil).toISOString()}.` });
      this.clock.setTimeout(() => this.restrict(this.restrictedUntil > this.clock.now() ? this.restrictedUntil : 0), this.restrictedUntil - now);
    } else if (this.current.reason === 'WHATSAPP_RATE_LIMITED') {
      this.setStatus({ reason: null, message: null });
    }
  }

  private forgetNow(reason: AlertReason): Promise<void> {
    return this.forget({ ...NOT_LINKED, reason, message: ALERT_REASONS[reason] });
  }

  /** The link is gone (logged out, expired, unlinked): wipe what is stored, then wait for the operator. */
  private async forget(status: SessionStatus): Promise<void> {
    this.mode = 'idle';
    this.clearRetry();
    this.auth = null;
    await this.deps.wipeAuth().catch((error: Error) => this.log(`wiping the link failed: ${error.message}`));
    this.setStatus(status);
  }

  private async dropSocket(): Promise<void> {
    this.clearRetry();
    const socket = this.socket;
    this.generation++;
    this.detach();
    await socket?.end(undefined).catch((error: Error) => this.log(`closing the socket failed: ${error.message}`));
  }

  private detach(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.socket = null;
    this.open = false;
    this.messenger.acks.releaseAll();
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) this.clock.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private setStatus(change: Partial<SessionStatus>): void {
    const linkedAs = this.auth?.linked() ? (/^(\d+)/.exec(this.auth.state.creds.me?.id ?? '')?.[1] ?? null) : null;
    this.current = { ...this.current, ...change, linkedAs };
    this.deps.emit({ type: 'status', status: this.current });
  }

  private log(line: string): void {
    this.deps.emit({ type: 'log', line });
  }
}
