// The alert settings screen's data: settings and policies, recipients, channel states and the
// delivery log, loaded over the API and kept live by `alert.channel` and `alert.delivery`
// events while the panel is open.
import { useCallback, useEffect, useState } from 'react';
import type { AlertSettings, AlertSettingsInput, ChannelStatus, Delivery, DeliveryState, Recipient, RecipientCreate, RecipientUpdate } from '../../../shared/alerts';
import type { ApiClient } from '../../api/client';
import { ApiError, describeCode } from '../../api/errors';
import type { EngineListener } from '../../app/useEngine';
import { upsertDelivery } from './format';

export interface Problem {
  code: string;
  message: string;
  issues?: { path: string; code: string; message: string }[];
}

export function toProblem(err: unknown): Problem {
  if (err instanceof ApiError) return { code: err.code, message: err.message, issues: err.issues };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : describeCode('INTERNAL') };
}

const PAGE = 50;

export interface Alerts {
  loaded: boolean;
  loadError: Problem | null;
  settings: AlertSettings | null;
  recipients: Recipient[];
  channels: ChannelStatus[];
  deliveries: Delivery[];
  /** Cursor of the next (older) page of the delivery log, or null at its end. */
  next: string | null;
  stateFilter: DeliveryState | '';
  setStateFilter(state: DeliveryState | ''): void;
  loadMore(): Promise<void>;
  /** Each returns null on success, or the problem to show where the action was started. */
  saveSettings(settings: AlertSettingsInput): Promise<Problem | null>;
  addRecipient(input: RecipientCreate): Promise<Problem | null>;
  updateRecipient(id: string, changes: RecipientUpdate): Promise<Problem | null>;
  deleteRecipient(id: string): Promise<Problem | null>;
  testSend(): Promise<Problem | null>;
  retry(id: string): Promise<Problem | null>;
}

export function useAlerts(client: ApiClient, listen: (listener: EngineListener) => () => void): Alerts {
  const [loaded, setLoaded] = useState(false);
  const [loadError, setLoadError] = useState<Problem | null>(null);
  const [settings, setSettings] = useState<AlertSettings | null>(null);
  const [recipients, setRecipients] = useState<Recipient[]>([]);
  const [channels, setChannels] = useState<ChannelStatus[]>([]);
  const [deliveries, setDeliveries] = useState<Delivery[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [stateFilter, setStateFilter] = useState<DeliveryState | ''>('');

  useEffect(() => {
    let cancelled = false;
    Promise.all([
      client.request('GET /api/alerts/settings', {}, undefined),
      client.request('GET /api/alerts/recipients', {}, undefined),
      client.request('GET /api/alerts/channels', {}, undefined),
    ]).then(
      ([s, r, c]) => {
        if (cancelled) return;
        setSettings(s);
        setRecipients(r);
        setChannels(c);
        setLoaded(true);
      },
      (err) => !cancelled && setLoadError(toProblem(err)),
    );
    return () => {
      cancelled = true;
    };
  }, [client]);

  useEffect(() => {
    let cancelled = false;
    client.request('GET /api/alerts/deliveries', {}, undefined, { query: { limit: PAGE, state: stateFilter || undefined } }).then(
      (page) => {
        if (cancelled) return;
        setDeliveries(page.deliveries);
        setNext(page.next);
      },
      (err) => !cancelled && setLoadError(toProblem(err)),
    );
    return () => {
      cancelled = true;
    };
  }, [client, stateFilter]);

  useEffect(
    () =>
      listen((event) => {
        if (event.type === 'alert.channel') setChannels((list) => [...list.filter((c) => c.kind !== event.status.kind), event.status]);
        else if (event.type === 'alert.delivery') setDeliveries((list) => upsertDelivery(list, event.delivery, stateFilter));
      }),
    [listen, stateFilter],
  );

  const attempt = useCallback(async (work: () => Promise<void>): Promise<Problem | null> => {
    try {
      await work();
      return null;
    } catch (err) {
      return toProblem(err);
    }
  }, []);

  return {
    loaded,
    loadError,
    settings,
    recipients,
    channels,
    deliveries,
    next,
    stateFilter,
    setStateFilter,
    loadMore: async () => {
      if (!next) return;
      const page = await client.request('GET /api/alerts/deliveries', {}, undefined, { query: { limit: PAGE, before: next, state: stateFilter || undefined } });
      setDeliveries((list) => [...list, ...page.deliveries.filter((d) => !list.some((known) => known.id === d.id))]);
      setNext(page.next);
    },
    saveSettings: (input) => attempt(async () => setSettings(await client.request('PUT /api/alerts/settings', {}, input))),
    addRecipient: (input) =>
      attempt(async () => {
        const created = await client.request('POST /api/alerts/recipients', {}, input, { timeoutMs: 45_000 });
        setRecipients((list) => [...list, created]);
      }),
    updateRecipient: (id, changes) =>
      attempt(async () => {
        const updated = await client.request('PATCH /api/alerts/recipients/:id', { id }, changes, { timeoutMs: 45_000 });
        setRecipients((list) => list.map((r) => (r.id === id ? updated : r)));
      }),
    deleteRecipient: (id) =>
      attempt(async () => {
        await client.request('DELETE /api/alerts/recipients/:id', { id }, undefined);
        setRecipients((list) => list.filter((r) => r.id !== id));
      }),
    testSend: () =>
      attempt(async () => {
        const { deliveries: created } = await client.request('POST /api/alerts/test', {}, {});
        setDeliveries((list) => created.reduce((acc, d) => upsertDelivery(acc, d, stateFilter), list));
      }),
    retry: (id) =>
      attempt(async () => {
        const delivery = await client.request('POST /api/alerts/deliveries/:id/retry', { id }, undefined);
        setDeliveries((list) => upsertDelivery(list, delivery, stateFilter));
      }),
  };
}
