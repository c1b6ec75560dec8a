// One request kept current for a changing key: debounced (the timeline changes on every wheel
// notch), stale answers dropped, the last data kept on screen while the next loads, an
// optional re-read while the range reaches the present (new footage keeps arriving).
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { describeCode } from '../../api/errors';

export interface Problem {
  code: string;
  message: string;
}

export interface Fetched<T> {
  data: T | null;
  /** The key the data was fetched for (it may lag the current key while loading). */
  dataKey: string | null;
  loading: boolean;
  error: Problem | null;
}

export function toProblem(err: unknown): Problem {
  if (err instanceof ApiError) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: err instanceof Error ? err.message : describeCode('INTERNAL') };
}

export interface FetchOptions {
  debounceMs?: number;
  /** Re-read this often while set (null: never). */
  refreshMs?: number | null;
}

/**
 * Runs `load` for `key` (null: nothing to load) after `debounceMs`; `load` is read from a ref,
 * so only a new key starts a request.
 */
export function useFetched<T>(key: string | null, load: () => Promise<T>, options: FetchOptions = {}): Fetched<T> {
  const { debounceMs = 0, refreshMs = null } = options;
  const [result, setResult] = useState<Fetched<T>>({ data: null, dataKey: null, loading: key !== null, error: null });
  const loader = useRef(load);
  loader.current = load;

  useEffect(() => {
    if (key === null) {
      setResult({ data: null, dataKey: null, loading: false, error: null });
      return;
    }
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const run = () => {
      timer = null;
      loader.current().then(
        (data) => {
          if (!live) return;
          setResult({ data, dataKey: key, loading: false, error: null });
          if (refreshMs !== null) timer = setTimeout(run, refreshMs);
        },
        (err: unknown) => {
          if (!live) return;
          setResult((prev) => ({ ...prev, loading: false, error: toProblem(err) }));
          if (refreshMs !== null) timer = setTimeout(run, Math.max(refreshMs, 5000));
        },
      );
    };
    setResult((prev) => (prev.loading && prev.error === null ? prev : { ...prev, loading: true, error: null }));
    timer = setTimeout(run, debounceMs);
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [key, debounceMs, refreshMs]);

  return result;
}
