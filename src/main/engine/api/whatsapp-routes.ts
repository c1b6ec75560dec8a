// `/api/alerts/whatsapp/...`: the WhatsApp channel's own routes: its status, linking by QR
// code or pairing code, unlinking, and checking a number before it becomes a recipient.
import type { IncomingMessage } from 'node:http';
import type { AlertReason } from '../../../shared/reasons';
import { WhatsAppCheckRequestSchema, WhatsAppLinkRequestSchema, WhatsAppUnlinkRequestSchema, type WhatsAppCheckResult } from '../../../shared/whatsapp';
import type { AlertService } from '../alerts/alert-service';
import { WhatsAppChannel } from '../alerts/whatsapp/whatsapp-channel';
import { EngineError } from '../engine-error';
import type { RouteResult } from './camera-routes';
import { readJson, validate } from './request-body';

/** HTTP status for a number that cannot be checked now, by reason. */
const CHECK_STATUS: Partial<Record<AlertReason, number>> = {
  WHATSAPP_NUMBER_INVALID: 400,
  WHATSAPP_NOT_LINKED: 409,
  WHATSAPP_LOGGED_OUT: 409,
  WHATSAPP_CONNECTION_REPLACED: 409,
  WHATSAPP_STALE_VERSION: 409,
  WHATSAPP_RATE_LIMITED: 429,
};

export async function whatsappRoutes(alerts: AlertService, req: IncomingMessage, url: URL): Promise<RouteResult | 'method' | null> {
  const path = url.pathname;
  if (path !== '/api/alerts/whatsapp' && !path.startsWith('/api/alerts/whatsapp/')) return null;
  const channel = alerts.channel('whatsapp');
  if (!(channel instanceof WhatsAppChannel)) throw new EngineError('RESOURCE_NOT_FOUND', 'This engine has no WhatsApp channel.', 404);
  switch (path) {
    case '/api/alerts/whatsapp':
      return req.method === 'GET' ? { status: 200, body: channel.status() } : 'method';
    case '/api/alerts/whatsapp/link':
      if (req.method !== 'POST') return 'method';
      return { status: 200, body: await channel.link(validate(WhatsAppLinkRequestSchema, await readJson(req))) };
    case '/api/alerts/whatsapp/unlink':
      if (req.method !== 'POST') return 'method';
      // No fields: an empty body is as good as `{}`.
      validate(WhatsAppUnlinkRequestSchema, req.headers['content-type'] ? await readJson(req) : {});
      return { status: 200, body: await channel.unlink() };
    case '/api/alerts/whatsapp/check': {
      if (req.method !== 'POST') return 'method';
      const { number } = validate(WhatsAppCheckRequestSchema, await readJson(req));
      const checked = await channel.checkAddress(number);
      let body: WhatsAppCheckResult;
      if (checked.ok) body = { exists: true, jid: checked.address };
      else if (checked.reason === 'WHATSAPP_NUMBER_NOT_ON_WHATSAPP' || checked.reason === 'WHATSAPP_GROUP_NOT_FOUND') body = { exists: false, jid: null };
      else throw new EngineError(checked.reason, checked.message, CHECK_STATUS[checked.reason] ?? 503);
      return { status: 200, body };
    }
  }
  return null;
}
