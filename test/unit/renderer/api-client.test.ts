import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../../src/renderer/api/backoff';
import { ApiError, describeCode, toApiError } from '../../../src/renderer/api/errors';
import { extractToken, routePath, wsUrl } from '../../../src/renderer/api/urls';

describe('token from the address bar', () => {
  it('takes the token and leaves a clean URL', () => {
    expect(extractToken('http://127.0.0.1:5000/?token=abc123')).toEqual({ token: 'abc123', cleanUrl: '/' });
    expect(extractToken('http://127.0.0.1:5000/x?a=1&token=t#h')).toEqual({ token: 't', cleanUrl: '/x?a=1#h' });
  });

  it('leaves URLs without a token alone', () => {
    expect(extractToken('http://127.0.0.1:5000/')).toEqual({ token: null, cleanUrl: 'http://127.0.0.1:5000/' });
    expect(extractToken('http://127.0.0.1:5000/?token=').token).toBeNull();
  });
});

describe('URLs', () => {
  it('builds WebSocket URLs on the same origin', () => {
    expect(wsUrl('http://127.0.0.1:5000', '/api/live', { camera: 'a b', stream: 'sub', token: 't' })).toBe('ws://127.0.0.1:5000/api/live?camera=a+b&stream=sub&token=t');
    expect(wsUrl('https://vigil.local/', '/api/events', { token: 't' })).toBe('wss://vigil.local/api/events?token=t');
  });

  it('fills :id', () => {
    expect(routePath('/api/cameras/:id', { id: 'a/b' })).toBe('/api/cameras/a%2Fb');
    expect(routePath('/api/cameras', {})).toBe('/api/cameras');
    expect(() => routePath('/api/cameras/:id', {})).toThrow();
  });
});

describe('errors', () => {
  it('reads the contract error body', () => {
    const err = toApiError(400, { error: { code: 'VALIDATION_FAILED', message: 'bad', issues: [{ path: 'mainUrl', code: 'URL_INVALID', message: 'x' }] } }, 'fallback');
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('VALIDATION_FAILED');
    expect(err.message).toBe('bad');
    expect(err.status).toBe(400);
    expect(err.issues).toEqual([{ path: 'mainUrl', code: 'URL_INVALID', message: 'x' }]);
  });

  it('normalizes array paths and survives junk', () => {
    expect(toApiError(400, { error: { code: 'VALIDATION_FAILED', message: 'm', issues: [{ path: ['options', 'stallSeconds'], code: 'too_big' }, 7] } }, 'f').issues).toEqual([
      { path: 'options.stallSeconds', code: 'too_big', message: 'too_big' },
    ]);
    expect(toApiError(502, 'nope', 'HTTP 502').code).toBe('INTERNAL');
    expect(toApiError(404, undefined, 'HTTP 404')).toMatchObject({ code: 'BAD_RESPONSE', message: 'HTTP 404' });
  });

  it('describes client and contract codes', () => {
    expect(describeCode('ENGINE_UNREACHABLE')).toMatch(/engine/i);
    expect(describeCode('AUTH_FAILED')).toMatch(/password/);
    expect(describeCode('SOMETHING_NEW')).toBe('SOMETHING_NEW');
  });
});

describe('backoff', () => {
  it('doubles up to the cap with bounded jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, { random: mid }))).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000]);
    expect(backoffDelay(0, { random: () => 0 })).toBe(400);
    expect(backoffDelay(0, { random: () => 1 })).toBe(600);
    expect(backoffDelay(1000, { random: mid })).toBe(10000);
  });
});
