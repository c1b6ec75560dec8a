// Pure URL helpers (no DOM): token extraction from the address bar, and WebSocket URLs.
import { TOKEN_QUERY } from '../../shared/api';

/** Reads the access token from a page URL and returns the URL without it. */
export function extractToken(href: string): { token: string | null; cleanUrl: string } {
  const url = new URL(href);
  const token = url.searchParams.get(TOKEN_QUERY);
  if (token === null) return { token: null, cleanUrl: href };
  url.searchParams.delete(TOKEN_QUERY);
  return { token: token.length > 0 ? token : null, cleanUrl: url.pathname + url.search + url.hash };
}

/** `http(s)://host/base` + path + query -> `ws(s)://host/path?query`. */
export function wsUrl(baseUrl: string, path: string, query: Record<string, string>): string {
  const url = new URL(path, baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
  return url.toString();
}

/** Fills `:id` in a route path; the id is URL-encoded. */
export function routePath(path: string, params: { id?: string }): string {
  return path.replace(/:id\b/, () => {
    if (params.id === undefined) throw new Error(`route ${path} needs an id`);
    return encodeURIComponent(params.id);
  });
}
