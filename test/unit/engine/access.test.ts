import { describe, it, expect } from 'vitest';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { AccessPolicy } from '../../../src/main/engine/api/access';
import { EngineError } from '../../../src/main/engine/engine-error';
import { TOKEN_QUERY } from '../../../src/shared/api';

const TOKEN = 'tok_0123456789abcdefABCDEF';
const PORT = 7420;

function req(headers: IncomingHttpHeaders): IncomingMessage {
  return { headers } as IncomingMessage;
}

function url(path = '/api/cameras'): URL {
  return new URL(path, `http://127.0.0.1:${PORT}`);
}

/** The EngineError check() threw, or null when it let the request through. */
function outcome(policy: AccessPolicy, headers: IncomingHttpHeaders, target = url()): { code: string; status: number } | null {
  try {
    policy.check(req(headers), target);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    const { code, status } = error as EngineError;
    return { code, status };
  }
}

const policy = new AccessPolicy(TOKEN, () => PORT);
const HOST = `127.0.0.1:${PORT}`;
const BEARER = `Bearer ${TOKEN}`;
const UNAUTHORIZED = { code: 'UNAUTHORIZED', status: 401 };
const FORBIDDEN = { code: 'FORBIDDEN_ORIGIN', status: 403 };

describe('AccessPolicy.check', () => {
  it('the query parameter is called token', () => {
    expect(TOKEN_QUERY).toBe('token');
  });

  it('lets the right token through as a Bearer header', () => {
    expect(outcome(policy, { host: HOST, authorization: BEARER })).toBeNull();
  });

  it('lets the right token through as ?token= (WebSocket and <video> URLs)', () => {
    expect(outcome(policy, { host: HOST }, url(`/api/live?${TOKEN_QUERY}=${TOKEN}`))).toBeNull();
  });

  it('accepts every loopback Host spelling on the engine port', () => {
    for (const host of [`127.0.0.1:${PORT}`, `localhost:${PORT}`, `[::1]:${PORT}`]) {
      expect(outcome(policy, { host, authorization: BEARER })).toBeNull();
    }
  });

  it('rejects a wrong token', () => {
    expect(outcome(policy, { host: HOST, authorization: 'Bearer tok_0123456789abcdefABCDEG' })).toEqual(UNAUTHORIZED);
    expect(outcome(policy, { host: HOST }, url('/api/live?token=nope'))).toEqual(UNAUTHORIZED);
  });

  it('rejects a token that is a prefix or an extension of the right one', () => {
    expect(outcome(policy, { host: HOST, authorization: `Bearer ${TOKEN.slice(0, -1)}` })).toEqual(UNAUTHORIZED);
    expect(outcome(policy, { host: HOST, authorization: `Bearer ${TOKEN}x` })).toEqual(UNAUTHORIZED);
  });

  it('rejects a missing token', () => {
    expect(outcome(policy, { host: HOST })).toEqual(UNAUTHORIZED);
    expect(outcome(policy, { host: HOST, authorization: 'Bearer ' })).toEqual(UNAUTHORIZED);
    expect(outcome(policy, { host: HOST }, url('/api/live?token='))).toEqual(UNAUTHORIZED);
  });

  it('a Bearer header wins over the query: a wrong header is not rescued by a right query', () => {
    expect(outcome(policy, { host: HOST, authorization: 'Bearer wrong' }, url(`/api/live?token=${TOKEN}`))).toEqual(UNAUTHORIZED);
  });

  it('rejects other authorization schemes', () => {
    expect(outcome(policy, { host: HOST, authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` })).toEqual(UNAUTHORIZED);
    expect(outcome(policy, { host: HOST, authorization: TOKEN })).toEqual(UNAUTHORIZED);
  });

  it('rejects a foreign Host even with the right token (DNS rebinding)', () => {
    expect(outcome(policy, { host: `evil.example:${PORT}`, authorization: BEARER })).toEqual(FORBIDDEN);
    expect(outcome(policy, { host: `127.0.0.1.nip.io:${PORT}`, authorization: BEARER })).toEqual(FORBIDDEN);
    expect(outcome(policy, { host: '127.0.0.1', authorization: BEARER })).toEqual(FORBIDDEN);
    expect(outcome(policy, { host: `127.0.0.1:${PORT + 1}`, authorization: BEARER })).toEqual(FORBIDDEN);
    expect(outcome(policy, { authorization: BEARER })).toEqual(FORBIDDEN);
  });

  it('checks Host before the token, so a rebinding page learns nothing about the token', () => {
    expect(outcome(policy, { host: `evil.example:${PORT}` })).toEqual(FORBIDDEN);
  });

  it('rejects a foreign Origin even with the right token', () => {
    expect(outcome(policy, { host: HOST, origin: 'https://evil.example', authorization: BEARER })).toEqual(FORBIDDEN);
    expect(outcome(policy, { host: HOST, origin: `http://localhost:${PORT + 1}`, authorization: BEARER })).toEqual(FORBIDDEN);
    expect(outcome(policy, { host: HOST, origin: 'null', authorization: BEARER })).toEqual(FORBIDDEN);
    expect(outcome(policy, { host: HOST, origin: `file://127.0.0.1:${PORT}`, authorization: BEARER })).toEqual(FORBIDDEN);
  });

  it('accepts the engine’s own origins', () => {
    for (const origin of [`http://127.0.0.1:${PORT}`, `http://localhost:${PORT}`, `http://[::1]:${PORT}`]) {
      expect(outcome(policy, { host: HOST, origin, authorization: BEARER })).toBeNull();
    }
  });

  it('allows requests without Origin (curl, scripts) when the token is right', () => {
    expect(outcome(policy, { host: HOST, authorization: BEARER })).toBeNull();
    expect(outcome(policy, { host: HOST })).toEqual(UNAUTHORIZED);
  });

  it('a same-origin page still needs the token', () => {
    expect(outcome(policy, { host: HOST, origin: `http://${HOST}` })).toEqual(UNAUTHORIZED);
  });

  it('follows the port once the server knows it (listening on port 0)', () => {
    let port = 0;
    const late = new AccessPolicy(TOKEN, () => port);
    expect(outcome(late, { host: 'localhost:43123', authorization: BEARER })).toEqual(FORBIDDEN);
    port = 43123;
    expect(outcome(late, { host: 'localhost:43123', authorization: BEARER })).toBeNull();
  });

  it('compares multi-byte tokens by bytes without throwing', () => {
    expect(outcome(policy, { host: HOST }, url(`/x?token=${encodeURIComponent('é'.repeat(TOKEN.length / 2))}`))).toEqual(UNAUTHORIZED);
  });
});
