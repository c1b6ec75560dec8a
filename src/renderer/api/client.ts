// The one API client: every feature talks to the engine through this module.
import type { ApiRoute, ApiRoutes, EngineEvent } from '../../shared/api';
import { TOKEN_QUERY } from '../../shared/api';
import type { StreamRole } from '../../shared/cameras';
import { backoffDelay } from './backoff';
import { encodeBody, withQuery, type QueryParams } from './body';
import { ApiError, toApiError } from './errors';
import { getHost } from './host';
import { extractToken, routePath, wsUrl } from './urls';

export { ApiError } from './errors';

/** `{ id }` for routes with `:id`, nothing otherwise. */
export type RouteParams<R extends ApiRoute> = R extends `${string}:id${string}` ? { id: string } : Record<string, never>;
export type RouteBody<R extends ApiRoute> = ApiRoutes[R]['body'];
export type RouteResponse<R extends ApiRoute> = ApiRoutes[R]['response'];

export interface Prefs {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

export interface RequestOptions {
  /** Query parameters (e.g. `name` and `fps` of an analysis upload). */
  query?: QueryParams;
  /** Milliseconds before the request is given up; null for none. Default: 15 s, none for uploads. */
  timeoutMs?: number | null;
}

export interface EventSubscription {
  close(): void;
}

const TOKEN_STORAGE_KEY = 'vigil.token';
const PREFS_PREFIX = 'vigil.prefs.';
const REQUEST_TIMEOUT_MS = 15_000;

export class ApiClient {
  readonly prefs: Prefs;

  constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {
    this.prefs = createPrefs();
  }

  async request<R extends ApiRoute>(route: R, params: RouteParams<R>, body: RouteBody<R>, options: RequestOptions = {}): Promise<RouteResponse<R>> {
    const space = route.indexOf(' ');
    const method = route.slice(0, space);
    const url = withQuery(new URL(routePath(route.slice(space + 1), params as { id?: string }), this.baseUrl), options.query);
    const headers: Record<string, string> = { Authorization: `Bearer ${this.token}`, Accept: 'application/json' };
    const encoded = encodeBody(body);
    if (encoded.contentType) headers['Content-Type'] = encoded.contentType;
    // An upload takes as long as the file takes; everything else answers quickly or not at all.
    const timeoutMs = options.timeoutMs !== undefined ? options.timeoutMs : encoded.contentType === 'application/octet-stream' ? null : REQUEST_TIMEOUT_MS;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: encoded.body,
        signal: timeoutMs === null ? undefined : AbortSignal.timeout(timeoutMs),
        cache: 'no-store',
      });
    } catch (err) {
      throw new ApiError('ENGINE_UNREACHABLE', `${method} ${url.pathname}: ${(err as Error).message}`);
    }
    let parsed: unknown = undefined;
    const text = await res.text().catch(() => '');
    if (text.length > 0) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (!res.ok) throw toApiError(res.status, parsed, `${method} ${url.pathname}: HTTP ${res.status}`);
    if (parsed === undefined) throw new ApiError('BAD_RESPONSE', `${method} ${url.pathname}: response is not JSON`, res.status);
    return parsed as RouteResponse<R>;
  }

  /** URL of the live video WebSocket for one camera stream. */
  liveUrl(cameraId: string, role: StreamRole): string {
    return wsUrl(this.baseUrl, '/api/live', { camera: cameraId, stream: role, [TOKEN_QUERY]: this.token });
  }

  /**
   * A same-origin URL the page loads by itself (a download link, <video>, <img>): no request
   * headers can go with those, so the token rides in the query.
   */
  tokenUrl(path: string, query?: QueryParams): string {
    return withQuery(new URL(path, this.baseUrl), { ...query, [TOKEN_QUERY]: this.token }).toString();
  }

  /**
   * Subscribes to engine events. Reconnects with backoff whenever the socket closes; the
   * engine sends `hello` with every camera on each (re)connection, so state heals itself.
   */
  events(onEvent: (event: EngineEvent) => void, onConnection?: (connected: boolean) => void): EventSubscription {
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let attempt = 0;
    let closed = false;
    let connected = false;
    const setConnected = (value: boolean) => {
      if (value === connected) return;
      connected = value;
      onConnection?.(value);
    };
    const open = () => {
      timer = null;
      if (closed) return;
      const ws = new WebSocket(wsUrl(this.baseUrl, '/api/events', { [TOKEN_QUERY]: this.token }));
      socket = ws;
      ws.onmessage = (msg) => {
        if (typeof msg.data !== 'string') return;
        let event: EngineEvent;
        try {
          event = JSON.parse(msg.data) as EngineEvent;
        } catch {
          return;
        }
        if (event.type === 'hello') {
          attempt = 0;
          setConnected(true);
        }
        onEvent(event);
      };
      ws.onclose = () => {
        if (socket !== ws) return;
        socket = null;
        setConnected(false);
        if (closed) return;
        timer = setTimeout(open, backoffDelay(attempt++));
      };
    };
    open();
    return {
      close: () => {
        closed = true;
        if (timer) clearTimeout(timer);
        const ws = socket;
        socket = null;
        ws?.close();
      },
    };
  }
}

function createPrefs(): Prefs {
  const host = getHost();
  if (host) return host.prefs;
  return {
    get: async (key) => {
      try {
        const raw = localStorage.getItem(PREFS_PREFIX + key);
        return raw === null ? undefined : (JSON.parse(raw) as unknown);
      } catch {
        return undefined;
      }
    },
    set: async (key, value) => {
      try {
        localStorage.setItem(PREFS_PREFIX + key, JSON.stringify(value));
      } catch {
        // Storage full or disabled: the preference simply does not persist.
      }
    },
  };
}

/**
 * Finds the engine and the access token: from the desktop host's bridge when present,
 * otherwise from `?token=` (moved to sessionStorage and removed from the address bar so it
 * is not left in history or screenshots), otherwise from sessionStorage after a reload.
 */
export async function connectClient(): Promise<ApiClient> {
  const host = getHost();
  if (host) {
    const { baseUrl, token } = await host.endpoint();
    return new ApiClient(baseUrl, token);
  }
  const { token: fromUrl, cleanUrl } = extractToken(window.location.href);
  let token = fromUrl;
  if (fromUrl !== null) {
    try {
      sessionStorage.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Without sessionStorage a reload needs the token again; still keep it out of the URL.
    }
    window.history.replaceState(window.history.state, '', cleanUrl);
  } else {
    try {
      token = sessionStorage.getItem(TOKEN_STORAGE_KEY);
    } catch {
      token = null;
    }
  }
  if (!token) throw new ApiError('UNAUTHORIZED', 'No access token: open the address Vigil printed when it started (it ends in ?token=…).');
  return new ApiClient(window.location.origin, token);
}
