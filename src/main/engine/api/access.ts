// Who may call the API: a caller must present the access token, and a browser page must
// come from the engine's own origin. The Host check stops DNS-rebinding pages that resolve
// their own name to 127.0.0.1 from using a victim's browser as the caller.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { TOKEN_QUERY } from '../../../shared/api';
import { EngineError } from '../engine-error';

export class AccessPolicy {
  private readonly tokenBytes: Buffer;

  constructor(
    token: string,
    private readonly port: () => number,
  ) {
    this.tokenBytes = Buffer.from(token);
  }

  private allowedHosts(): Set<string> {
    const port = this.port();
    return new Set([`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]);
  }

  /** Throws EngineError(UNAUTHORIZED | FORBIDDEN_ORIGIN) unless the request may proceed. */
  check(req: IncomingMessage, url: URL): void {
    const hosts = this.allowedHosts();
    if (!hosts.has(req.headers.host ?? '')) throw new EngineError('FORBIDDEN_ORIGIN', 'Unexpected Host header.', 403);
    const origin = req.headers.origin;
    // Non-browser clients send no Origin; browsers always do on WebSocket upgrades and writes.
    if (origin !== undefined && !hosts.has(origin.replace(/^https?:\/\//, ''))) {
      throw new EngineError('FORBIDDEN_ORIGIN', `Requests from ${origin} are not allowed.`, 403);
    }
    const header = req.headers.authorization;
    const presented = header?.startsWith('Bearer ') ? header.slice(7) : url.searchParams.get(TOKEN_QUERY);
    if (!presented || !this.matches(presented)) throw new EngineError('UNAUTHORIZED', undefined, 401);
  }

  private matches(presented: string): boolean {
    const bytes = Buffer.from(presented);
    return bytes.length === this.tokenBytes.length && timingSafeEqual(bytes, this.tokenBytes);
  }
}
