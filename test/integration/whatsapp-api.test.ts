// The WhatsApp routes through the real engine and HTTP API: status, link, unlink, number
// check, and a reason code for every bad request. WhatsApp's server is a closed local port.
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelStatus } from '../../src/shared/alerts';
import type { ApiErrorBody } from '../../src/shared/api';
import { startTestEngine, until, type TestEngine } from '../support/test-engine';

let vigil: TestEngine;

beforeAll(async () => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  vigil = await startTestEngine({ env: { ...process.env, VIGIL_WHATSAPP_WS_URL: `ws://127.0.0.1:${port}/ws/chat` } });
});

afterAll(async () => {
  await vigil?.stop();
});

function expectError(result: { status: number; body: unknown }, status: number, code: string) {
  expect(result.status).toBe(status);
  expect((result.body as ApiErrorBody).error.code).toBe(code);
}

describe('WhatsApp API', () => {
  it('starts unlinked, and says so in its status and among the alert channels', async () => {
    const status = await vigil.api<ChannelStatus>('GET', '/api/alerts/whatsapp');
    expect(status).toMatchObject({ status: 200, body: { kind: 'whatsapp', state: 'needs-link', reason: 'WHATSAPP_NOT_LINKED', linkedAs: null } });
    const channels = await vigil.api<ChannelStatus[]>('GET', '/api/alerts/channels');
    expect(channels.body.find((c) => c.kind === 'whatsapp')).toMatchObject({ state: 'needs-link' });
    expect(vigil.logs.join('\n')).not.toMatch(/whatsapp: /);
  });

  it('refuses bad requests with reason codes', async () => {
    expectError(await vigil.api('POST', '/api/alerts/whatsapp/link', { method: 'pairing-code', phone: '0171 1234567' }), 400, 'WHATSAPP_NUMBER_INVALID');
    expectError(await vigil.api('POST', '/api/alerts/whatsapp/link', { method: 'sms' }), 400, 'VALIDATION_FAILED');
    expectError(await vigil.api('POST', '/api/alerts/whatsapp/link', { method: 'qr', phone: '+491711234567' }), 400, 'UNKNOWN_FIELD');
    expectError(await vigil.api('POST', '/api/alerts/whatsapp/check', { number: '12' }), 400, 'WHATSAPP_NUMBER_INVALID');
    expectError(await vigil.api('POST', '/api/alerts/whatsapp/check', { number: '+49 176 12345678' }), 409, 'WHATSAPP_NOT_LINKED');
    expectError(await vigil.api('GET', '/api/alerts/whatsapp/link'), 405, 'METHOD_NOT_ALLOWED');
    expectError(await vigil.api('POST', '/api/alerts/whatsapp/unlink', { all: true }), 400, 'UNKNOWN_FIELD');
    expectError(await vigil.api('GET', '/api/alerts/whatsapp/nothing'), 404, 'RESOURCE_NOT_FOUND');
  });

  it('link starts a worker that reports WhatsApp unreachable; unlink stops it', async () => {
    const linked = await vigil.api<ChannelStatus>('POST', '/api/alerts/whatsapp/link', { method: 'qr' });
    expect(linked.status).toBe(200);
    expect(linked.body).toMatchObject({ kind: 'whatsapp', state: 'connecting', reason: 'WHATSAPP_DISCONNECTED', qr: null });
    await until('a retry in the log', () => vigil.logs.some((line) => /whatsapp: connection closed \(408/.test(line)), 20_000);
    const unlinked = await vigil.api<ChannelStatus>('POST', '/api/alerts/whatsapp/unlink');
    expect(unlinked).toMatchObject({ status: 200, body: { state: 'needs-link', reason: 'WHATSAPP_NOT_LINKED' } });
    expect((await vigil.api<ChannelStatus>('GET', '/api/alerts/whatsapp')).body.state).toBe('needs-link');
  });
});
