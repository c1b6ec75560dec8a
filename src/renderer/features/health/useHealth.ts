import { useEffect, useState } from 'react';
import type { Health } from '../../../shared/api';
import type { ApiClient } from '../../api/client';
import { ApiError } from '../../api/errors';

export const HEALTH_POLL_MS = 5000;

export interface HealthState {
  health: Health | null;
  /** Reason code of the last failed poll, null after a good one. */
  error: string | null;
}

/** Polls `GET /api/health` every 5 s. */
export function useHealth(client: ApiClient): HealthState {
  const [state, setState] = useState<HealthState>({ health: null, error: null });
  useEffect(() => {
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const poll = async () => {
      try {
        const health = await client.request('GET /api/health', {}, undefined);
        if (!cancelled) setState({ health, error: null });
      } catch (err) {
        if (!cancelled) setState((s) => ({ health: s.health, error: err instanceof ApiError ? err.code : 'INTERNAL' }));
      }
      if (!cancelled) timer = setTimeout(poll, HEALTH_POLL_MS);
    };
    void poll();
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [client]);
  return state;
}
