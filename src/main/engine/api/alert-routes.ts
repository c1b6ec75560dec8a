// `/api/alerts/...`: the alert settings and policies, recipients, channel states, the delivery
// log, test sends and retries. WhatsApp's own routes (link, unlink) live with its channel.
import type { IncomingMessage } from 'node:http';
import { AlertSettingsSchema, DeliveryQuerySchema, RecipientCreateSchema, RecipientUpdateSchema, TestSendSchema } from '../../../shared/alerts';
import type { AlertService } from '../alerts/alert-service';
import type { RouteResult } from './camera-routes';
import { readJson, validate } from './request-body';

export async function alertRoutes(alerts: AlertService, req: IncomingMessage, url: URL): Promise<RouteResult | 'method' | null> {
  const path = url.pathname;
  if (!path.startsWith('/api/alerts/')) return null;
  switch (path) {
    case '/api/alerts/settings':
      if (req.method === 'GET') return { status: 200, body: alerts.config.settings() };
      if (req.method !== 'PUT') return 'method';
      return { status: 200, body: alerts.config.putSettings(validate(AlertSettingsSchema, await readJson(req))) };
    case '/api/alerts/recipients':
      if (req.method === 'GET') return { status: 200, body: alerts.config.recipients.list() };
      if (req.method !== 'POST') return 'method';
      return { status: 201, body: await alerts.config.createRecipient(validate(RecipientCreateSchema, await readJson(req))) };
    case '/api/alerts/channels':
      return req.method === 'GET' ? { status: 200, body: alerts.channelStatuses() } : 'method';
    case '/api/alerts/deliveries': {
      if (req.method !== 'GET') return 'method';
      // The access token may travel in the query; it is no filter.
      const query = validate(DeliveryQuerySchema, Object.fromEntries([...url.searchParams.entries()].filter(([key]) => key !== 'token')));
      return { status: 200, body: alerts.deliveries(query) };
    }
    case '/api/alerts/test':
      if (req.method !== 'POST') return 'method';
      return { status: 201, body: { deliveries: alerts.testSend(validate(TestSendSchema, await readJson(req))) } };
  }
  const recipient = /^\/api\/alerts\/recipients\/([A-Za-z0-9_-]{1,64})$/.exec(path);
  if (recipient) {
    const id = recipient[1]!;
    if (req.method === 'PATCH') return { status: 200, body: await alerts.config.updateRecipient(id, validate(RecipientUpdateSchema, await readJson(req))) };
    if (req.method === 'DELETE') {
      alerts.config.deleteRecipient(id);
      return { status: 200, body: { deleted: id } };
    }
    return 'method';
  }
  const retry = /^\/api\/alerts\/deliveries\/([A-Za-z0-9-]{1,64})\/retry$/.exec(path);
  if (retry) return req.method === 'POST' ? { status: 200, body: alerts.retry(retry[1]!) } : 'method';
  return null;
}
