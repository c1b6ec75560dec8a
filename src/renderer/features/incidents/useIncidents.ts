import { useCallback, useEffect, useRef, useState } from 'react';
import type { Incident, IncidentAction, IncidentActionRequest } from '../../../shared/incidents';
import type { ApiClient } from '../../api/client';
import { ApiError, describeCode } from '../../api/errors';
import type { EngineListener } from '../../app/useEngine';
import { canDo, type OperatorAction } from './actions';
import { playAlarm } from './alarm-sound';
import { setAlertedCameras } from './alert-store';
import { parseOperatorName } from './format';
import { alertedCameraIds, keepSelection, mergeRefresh, moveSelection, newAlarms, upsertIncident } from './queue';

/** The open incidents are re-read this often, in case an event was missed. */
const REFRESH_MS = 10_000;
const QUEUE_LIMIT = 500;
export const PREF_OPERATOR = 'operator.name';
export const PREF_MUTED = 'incidents.alarmMuted';
export const PREF_COLLAPSED = 'incidents.queueCollapsed';

export interface Problem {
  code: string;
  message: string;
}

export function toProblem(err: unknown): Problem {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : describeCode('INTERNAL') };
}

export interface IncidentDetail {
  id: string;
  incident: Incident | null;
  actions: IncidentAction[];
  loading: boolean;
  error: Problem | null;
}

/** An action request less `who`, which the hook fills in from the operator name. */
export type ActionRequest = IncidentActionRequest extends infer R ? (R extends { who: string } ? Omit<R, 'who'> : never) : never;

export interface Incidents {
  queue: Incident[];
  loaded: boolean;
  listError: Problem | null;
  selectedId: string | null;
  select(id: string | null): void;
  /** Moves the selection by `delta` rows. */
  move(delta: number): void;
  /** The incident shown in detail (it may no longer be open). */
  detail: IncidentDetail | null;
  open(id: string): void;
  closeDetail(): void;
  operator: string | null;
  setOperator(name: string): void;
  muted: boolean;
  setMuted(muted: boolean): void;
  collapsed: boolean;
  setCollapsed(collapsed: boolean): void;
  /** An action is on its way. */
  busy: boolean;
  actionError: Problem | null;
  clearActionError(): void;
  /** Sends an action as the operator; false when it was refused (see actionError) or no name is set. */
  act(id: string, request: ActionRequest): Promise<boolean>;
  /** The incident by id, from the queue or the detail. */
  find(id: string | null): Incident | undefined;
}

/**
 * The alarm queue: open incidents read from the engine, kept current by `incident.updated`
 * events and a re-read every 10 s; flashes tiles and sounds the alarm for new high and
 * critical incidents; sends operator actions.
 */
export function useIncidents(client: ApiClient, listen: (listener: EngineListener) => () => void): Incidents {
  const [queue, setQueue] = useState<Incident[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [listError, setListError] = useState<Problem | null>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [detail, setDetail] = useState<IncidentDetail | null>(null);
  const [operator, setOperatorState] = useState<string | null>(null);
  const [muted, setMutedState] = useState(false);
  const [collapsed, setCollapsedState] = useState(false);
  const [busy, setBusy] = useState(false);
  const [actionError, setActionError] = useState<Problem | null>(null);

  const queueRef = useRef(queue);
  queueRef.current = queue;
  const mutedRef = useRef(muted);
  mutedRef.current = muted;
  const detailIdRef = useRef<string | null>(null);
  detailIdRef.current = detail?.id ?? null;
  /** Incident ids seen so far (the alarm sounds once per incident). */
  const seen = useRef(new Set<string>());
  const initialized = useRef(false);
  /** Incidents that events touched while a refresh was on its way. */
  const touched = useRef<Set<string> | null>(null);

  const alarm = useCallback((incidents: readonly Incident[]) => {
    const fresh = newAlarms(seen.current, incidents, initialized.current);
    if (fresh.length > 0 && !mutedRef.current) playAlarm(fresh.some((i) => i.severity === 'critical'));
  }, []);

  const applyQueue = useCallback((next: Incident[]) => {
    const previous = queueRef.current;
    queueRef.current = next;
    setQueue(next);
    setSelectedId((id) => keepSelection(previous, next, id));
  }, []);

  const loadDetail = useCallback(
    async (id: string) => {
      try {
        const full = await client.request('GET /api/incidents/:id', { id }, undefined);
        if (detailIdRef.current !== id) return;
        const { actions, ...incident } = full;
        setDetail({ id, incident, actions: [...actions].sort((a, b) => a.at - b.at || a.id - b.id), loading: false, error: null });
      } catch (err) {
        if (detailIdRef.current !== id) return;
        setDetail((d) => (d && d.id === id ? { ...d, loading: false, error: toProblem(err) } : d));
      }
    },
    [client],
  );

  const refresh = useCallback(async () => {
    const mine = new Set<string>();
    touched.current = mine;
    try {
      const list = await client.request('GET /api/incidents', {}, undefined, { query: { state: 'open', limit: QUEUE_LIMIT } });
      alarm(list);
      initialized.current = true;
      applyQueue(mergeRefresh(queueRef.current, list, mine));
      setListError(null);
      setLoaded(true);
    } catch (err) {
      setListError(toProblem(err));
    } finally {
      if (touched.current === mine) touched.current = null;
    }
  }, [client, alarm, applyQueue]);

  useEffect(
    () =>
      listen((event) => {
        if (event.type === 'incident.updated') {
          const incident = event.incident;
          touched.current?.add(incident.id);
          if (initialized.current) alarm([incident]);
          applyQueue(upsertIncident(queueRef.current, incident));
          if (detailIdRef.current === incident.id) {
            setDetail((d) => (d && d.id === incident.id ? { ...d, incident } : d));
            void loadDetail(incident.id);
          }
        } else if (event.type === 'hello') {
          void refresh();
        }
      }),
    [listen, refresh, alarm, applyQueue, loadDetail],
  );

  useEffect(() => {
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [refresh]);

  useEffect(() => setAlertedCameras(alertedCameraIds(queue)), [queue]);
  useEffect(() => () => setAlertedCameras([]), []);

  useEffect(() => {
    let cancelled = false;
    const { prefs } = client;
    Promise.all([prefs.get(PREF_OPERATOR).catch(() => undefined), prefs.get(PREF_MUTED).catch(() => undefined), prefs.get(PREF_COLLAPSED).catch(() => undefined)]).then(
      ([name, storedMuted, storedCollapsed]) => {
        if (cancelled) return;
        setOperatorState(parseOperatorName(name));
        setMutedState(storedMuted === true);
        setCollapsedState(storedCollapsed === true);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client]);

  const setOperator = useCallback(
    (name: string) => {
      const parsed = parseOperatorName(name);
      if (!parsed) return;
      setOperatorState(parsed);
      client.prefs.set(PREF_OPERATOR, parsed).catch(() => undefined);
    },
    [client],
  );
  const setMuted = useCallback(
    (value: boolean) => {
      setMutedState(value);
      client.prefs.set(PREF_MUTED, value).catch(() => undefined);
    },
    [client],
  );
  const setCollapsed = useCallback(
    (value: boolean) => {
      setCollapsedState(value);
      client.prefs.set(PREF_COLLAPSED, value).catch(() => undefined);
    },
    [client],
  );

  const open = useCallback(
    (id: string) => {
      const known = queueRef.current.find((i) => i.id === id) ?? null;
      detailIdRef.current = id;
      setSelectedId(id);
      setActionError(null);
      setDetail({ id, incident: known, actions: [], loading: true, error: null });
      void loadDetail(id);
    },
    [loadDetail],
  );
  const closeDetail = useCallback(() => {
    detailIdRef.current = null;
    setDetail(null);
    setActionError(null);
  }, []);

  const move = useCallback((delta: number) => setSelectedId((id) => moveSelection(queueRef.current, id, delta)), []);

  const find = useCallback(
    (id: string | null) => (id === null ? undefined : (queue.find((i) => i.id === id) ?? (detail?.id === id ? (detail.incident ?? undefined) : undefined))),
    [queue, detail],
  );

  const act = useCallback(
    async (id: string, request: ActionRequest): Promise<boolean> => {
      if (!operator) {
        setActionError({ code: 'VALIDATION_FAILED', message: 'Enter your name first: it goes into the audit trail.' });
        return false;
      }
      const current = queueRef.current.find((i) => i.id === id) ?? (detailIdRef.current === id ? detail?.incident : undefined);
      if (current && !canDo(current, request.action as OperatorAction)) {
        setActionError({ code: 'INCIDENT_TRANSITION_INVALID', message: describeCode('INCIDENT_TRANSITION_INVALID') });
        return false;
      }
      setBusy(true);
      setActionError(null);
      try {
        const updated = await client.request('POST /api/incidents/:id/actions', { id }, { ...request, who: operator } as IncidentActionRequest);
        seen.current.add(updated.id);
        applyQueue(upsertIncident(queueRef.current, updated));
        if (detailIdRef.current === id) {
          setDetail((d) => (d && d.id === id ? { ...d, incident: updated } : d));
          void loadDetail(id);
        }
        return true;
      } catch (err) {
        setActionError(toProblem(err));
        return false;
      } finally {
        setBusy(false);
      }
    },
    [client, operator, detail, applyQueue, loadDetail],
  );

  return {
    queue,
    loaded,
    listError,
    selectedId,
    select: setSelectedId,
    move,
    detail,
    open,
    closeDetail,
    operator,
    setOperator,
    muted,
    setMuted,
    collapsed,
    setCollapsed,
    busy,
    actionError,
    clearActionError: () => setActionError(null),
    act,
    find,
  };
}
