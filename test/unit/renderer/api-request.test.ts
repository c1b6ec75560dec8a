import { afterEach, describe, expect, it, vi } from 'vitest';
import { encodeBody, withQuery } from '../../../src/renderer/api/body';
import { ApiClient } from '../../../src/renderer/api/client';

describe('request bodies', () => {
  it('sends JSON, or a Blob as raw bytes', () => {
    expect(encodeBody(undefined)).toEqual({ body: undefined, contentType: undefined });
    expect(encodeBody({ a: 1 })).toEqual({ body: '{"a":1}', contentType: 'application/json' });
    const blob = new Blob([new Uint8Array([1, 2, 3])], { type: 'video/mp4' });
    expect(encodeBody(blob)).toEqual({ body: blob, contentType: 'application/octet-stream' });
  });

  it('adds query parameters, leaving out undefined ones', () => {
    expect(withQuery(new URL('http://h/api/analysis'), { name: 'a b.mp4', fps: 5, x: undefined }).toString()).toBe('http://h/api/analysis?name=a+b.mp4&fps=5');
    expect(withQuery(new URL('http://h/x'), undefined).toString()).toBe('http://h/x');
  });
});

describe('ApiClient.request', () => {
  afterEach(() => vi.unstubAllGlobals());

  function stubFetch(response: unknown, status = 200) {
    const calls: { url: string; init: RequestInit }[] = [];
    vi.stubGlobal('fetch', async (url: URL, init: RequestInit) => {
      calls.push({ url: url.toString(), init });
      return new Response(JSON.stringify(response), { status, headers: { 'content-type': 'application/json' } });
    });
    return calls;
  }

  it('uploads footage as octet-stream with name and fps, bearer token, no timeout', async () => {
    const job = { id: 'j1', fileName: 'gate.mp4', state: 'queued', progress: 0, createdAt: 1, frames: 0, tracks: 0, error: null };
    const calls = stubFetch(job);
    const client = new ApiClient('http://127.0.0.1:5000', 'tok');
    const file = new Blob([new Uint8Array(16)]);
    await expect(client.request('POST /api/analysis', {}, file, { query: { name: 'gate.mp4', fps: 5 } })).resolves.toEqual(job);
    const call = calls[0];
    expect(call?.url).toBe('http://127.0.0.1:5000/api/analysis?name=gate.mp4&fps=5');
    expect(call?.init.method).toBe('POST');
    expect(call?.init.body).toBe(file);
    expect(call?.init.headers).toMatchObject({ Authorization: 'Bearer tok', 'Content-Type': 'application/octet-stream' });
    expect(call?.init.signal).toBeUndefined();
  });

  it('still sends JSON bodies with a timeout, and reads error bodies', async () => {
    const calls = stubFetch({ error: { code: 'ANALYSIS_NOT_VIDEO', message: 'no video' } }, 422);
    const client = new ApiClient('http://127.0.0.1:5000', 'tok');
    await expect(client.request('PATCH /api/cameras/:id', { id: 'c1' }, { name: 'x' })).rejects.toMatchObject({ code: 'ANALYSIS_NOT_VIDEO', status: 422 });
    expect(calls[0]?.init.body).toBe('{"name":"x"}');
    expect(calls[0]?.init.headers).toMatchObject({ 'Content-Type': 'application/json' });
    expect(calls[0]?.init.signal).toBeInstanceOf(AbortSignal);
  });
});
