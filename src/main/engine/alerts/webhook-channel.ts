// Webhook channel: the alert as a JSON POST to the recipient's URL. The idempotency key goes
// in a header with every attempt (receivers drop repeats by it), the body is signed with the
// recipient's secret when one is set, and the answer is classified honestly: 2xx delivered;
// 408, 429, 5xx, timeouts and connection errors worth another try (Retry-After honoured);
// every other answer a rejection that no retry will change.
import { createHmac } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { webhookUrlProblem, type ChannelStatus } from '../../../shared/alerts';
import type { AlertChannel, AlertMessage, AlertRecipient, ChannelEvents, SendOutcome } from './channel';

export interface WebhookChannelOptions {
  /** The recipient's signing secret, or null for none. */
  secretFor(recipientId: string): string | null;
  /** Whole request, connect to last byte of the answer (default 10 s). */
  timeoutMs?: number;
  userAgent?: string;
  now?: () => number;
}

export const SIGNATURE_HEADER = 'x-vigil-signature';
/** Only this much of an answer is read: the status is what counts. */
const MAX_ANSWER_BYTES = 16 * 1024;
const RETRYABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);

/** `sha256=<hex>` HMAC of the exact body bytes, as GitHub signs its webhooks. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | string[] | undefined, now: number): number | undefined {
  const text = Array.isArray(value) ? value[0] : value;
  if (!text) return undefined;
  if (/^\d+$/.test(text.trim())) return Number(text.trim()) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export class WebhookChannel extends EventEmitter<ChannelEvents> implements AlertChannel {
  readonly kind = 'webhook' as const;
  private readonly since: number;

  constructor(private readonly options: WebhookChannelOptions) {
    super();
    this.since = (options.now ?? Date.now)();
  }

  status(): ChannelStatus {
    return { kind: 'webhook', state: 'ready', reason: null, message: null, since: this.since };
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  send(message: AlertMessage, recipient: AlertRecipient, signal: AbortSignal): Promise<SendOutcome> {
    const problem = webhookUrlProblem(recipient.address);
    if (problem) return Promise.resolve({ ok: false, retry: false, reason: 'ALERT_WEBHOOK_URL_INVALID', message: problem });
    const url = new URL(recipient.address);
    const body = JSON.stringify(message.payload);
    const headers: Record<string, string> = {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      'idempotency-key': message.idempotencyKey,
      'x-vigil-event': `alert.${message.kind}`,
      'x-vigil-alert-id': message.alertId,
      'user-agent': this.options.userAgent ?? 'Vigil',
    };
    const secret = this.options.secretFor(recipient.id);
    if (secret) headers[SIGNATURE_HEADER] = signBody(secret, body);
    const timeoutMs = this.options.timeoutMs ?? 10_000;
    const now = this.options.now ?? Date.now;
    return new Promise<SendOutcome>((resolve) => {
      let settled = false;
      const finish = (outcome: SendOutcome) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, { method: 'POST', headers });
      const timer = setTimeout(() => {
        finish({ ok: false, retry: true, reason: 'ALERT_WEBHOOK_TIMEOUT', message: `No answer from ${url.host} within ${timeoutMs / 1000} s.` });
        request.destroy();
      }, timeoutMs);
      const onAbort = () => {
        finish({ ok: false, retry: true, reason: 'ALERT_SEND_FAILED', message: 'The engine stopped during the send.' });
        request.destroy();
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort);
      request.on('error', (error: NodeJS.ErrnoException) => {
        const code = error.code ?? 'ERROR';
        finish({ ok: false, retry: RETRYABLE_CODES.has(code) || !error.code, reason: 'ALERT_WEBHOOK_UNREACHABLE', message: `${url.host}: ${code} ${error.message}`.trim() });
      });
      request.on('response', (response: IncomingMessage) => {
        let read = 0;
        response.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read > MAX_ANSWER_BYTES) response.destroy();
        });
        const answer = () => finish(classify(response, now()));
        response.on('end', answer);
        response.on('close', answer);
        response.on('error', answer);
      });
      request.end(body);
    });
  }
}

function classify(response: IncomingMessage, now: number): SendOutcome {
  const status = response.statusCode ?? 0;
  const what = `HTTP ${status}${response.statusMessage ? ` ${response.statusMessage}` : ''}`;
  if (status >= 200 && status < 300) return { ok: true, delivered: true };
  const retryAfterMs = parseRetryAfter(response.headers['retry-after'], now);
  const after = retryAfterMs !== undefined ? { retryAfterMs } : {};
  if (status === 429) return { ok: false, retry: true, reason: 'ALERT_WEBHOOK_RATE_LIMITED', message: what, ...after };
  if (status === 408) return { ok: false, retry: true, reason: 'ALERT_WEBHOOK_TIMEOUT', message: what, ...after };
  if (status >= 500) return { ok: false, retry: true, reason: 'ALERT_WEBHOOK_SERVER_ERROR', message: what, ...after };
  // 3xx (a redirect is not followed: a moved endpoint is the operator's to fix), 4xx.
  return { ok: false, retry: false, reason: 'ALERT_WEBHOOK_REJECTED', message: what };
}
