import { describe, it, expect } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { readJson, validate } from '../../../src/main/engine/api/request-body';
import { EngineError } from '../../../src/main/engine/engine-error';
import { CameraCreateSchema, CameraUpdateSchema } from '../../../src/shared/cameras';

function rejection(fn: () => unknown): EngineError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineError);
    return error as EngineError;
  }
  throw new Error('expected validate() to throw');
}

describe('validate', () => {
  it('returns the parsed value with defaults', () => {
    expect(validate(CameraCreateSchema, { name: 'Lobby', mainUrl: 'rtsp://10.0.0.5/live' })).toEqual({
      name: 'Lobby',
      mainUrl: 'rtsp://10.0.0.5/live',
      enabled: true,
      options: { rtspTransport: 'tcp', liveTranscode: 'auto', stallSeconds: 10, detect: true, detectFps: 5, detectWidth: 640, hwaccel: 'none', motionThreshold: 25, motionMinArea: 0.002, motionMasks: [], record: true },
    });
  });

  it('an unknown top-level field -> UNKNOWN_FIELD at (body)', () => {
    const error = rejection(() => validate(CameraCreateSchema, { name: 'a', mainUrl: 'rtsp://h/x', password: 'x' }));
    expect(error.code).toBe('UNKNOWN_FIELD');
    expect(error.status).toBe(400);
    expect(error.issues).toEqual([{ path: '(body)', code: 'UNKNOWN_FIELD', message: 'Unknown field(s): password' }]);
    expect(error.message).toBe('(body): Unknown field(s): password');
  });

  it('an unknown nested field -> UNKNOWN_FIELD at its object', () => {
    const error = rejection(() => validate(CameraCreateSchema, { name: 'a', mainUrl: 'rtsp://h/x', options: { foo: 1, bar: 2 } }));
    expect(error.code).toBe('UNKNOWN_FIELD');
    expect(error.issues).toEqual([{ path: 'options', code: 'UNKNOWN_FIELD', message: 'Unknown field(s): foo, bar' }]);
  });

  it('a malformed URL -> URL_INVALID with the sentence for the UI', () => {
    const error = rejection(() => validate(CameraCreateSchema, { name: 'a', mainUrl: 'rtsp://10.0.0.5/live cam' }));
    expect(error.code).toBe('URL_INVALID');
    expect(error.issues).toEqual([{ path: 'mainUrl', code: 'URL_INVALID', message: 'The stream address is not a valid URL.' }]);
  });

  it('an unsupported scheme -> URL_SCHEME_UNSUPPORTED, on the field that has it', () => {
    const error = rejection(() => validate(CameraCreateSchema, { name: 'a', mainUrl: 'rtsp://h/x', subUrl: 'ftp://h/y' }));
    expect(error.code).toBe('URL_SCHEME_UNSUPPORTED');
    expect(error.issues).toHaveLength(1);
    expect(error.issues?.[0]).toMatchObject({ path: 'subUrl', code: 'URL_SCHEME_UNSUPPORTED' });
    expect(error.issues?.[0]?.message).toMatch(/rtsp:\/\//);
  });

  it('an absurd transcodeSize -> RESOLUTION_OUT_OF_RANGE for both dimensions', () => {
    const error = rejection(() =>
      validate(CameraCreateSchema, { name: 'a', mainUrl: 'rtsp://h/x', options: { transcodeSize: { width: 100000, height: 5 } } }),
    );
    expect(error.code).toBe('RESOLUTION_OUT_OF_RANGE');
    expect(error.issues?.map((issue) => [issue.path, issue.code])).toEqual([
      ['options.transcodeSize.width', 'RESOLUTION_OUT_OF_RANGE'],
      ['options.transcodeSize.height', 'RESOLUTION_OUT_OF_RANGE'],
    ]);
  });

  it('RESOLUTION_OUT_OF_RANGE also on update', () => {
    const error = rejection(() => validate(CameraUpdateSchema, { options: { transcodeSize: { width: 32, height: 32 } } }));
    expect(error.code).toBe('RESOLUTION_OUT_OF_RANGE');
  });

  it('a non-integer size is a plain VALIDATION_FAILED (a type error, not a range)', () => {
    const error = rejection(() =>
      validate(CameraCreateSchema, { name: 'a', mainUrl: 'rtsp://h/x', options: { transcodeSize: { width: 640.5, height: 360 } } }),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues?.[0]?.path).toBe('options.transcodeSize.width');
  });

  it('other range errors are VALIDATION_FAILED', () => {
    const error = rejection(() => validate(CameraUpdateSchema, { options: { stallSeconds: 1 } }));
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.issues).toEqual([{ path: 'options.stallSeconds', code: 'VALIDATION_FAILED', message: expect.stringMatching(/>=3/) }]);
  });

  it('mixed problems -> VALIDATION_FAILED overall, each issue keeps its own code', () => {
    const error = rejection(() =>
      validate(CameraCreateSchema, { name: '', mainUrl: 'ftp://h/x', extra: true, options: { transcodeSize: { width: 1, height: 100 } } }),
    );
    expect(error.code).toBe('VALIDATION_FAILED');
    const codes = Object.fromEntries(error.issues!.map((issue) => [issue.path, issue.code]));
    expect(codes).toEqual({
      name: 'VALIDATION_FAILED',
      mainUrl: 'URL_SCHEME_UNSUPPORTED',
      '(body)': 'UNKNOWN_FIELD',
      'options.transcodeSize.width': 'RESOLUTION_OUT_OF_RANGE',
    });
    // The message lists every field.
    for (const path of Object.keys(codes)) expect(error.message).toContain(`${path}: `);
  });

  it('a missing field or a body that is not an object -> VALIDATION_FAILED', () => {
    expect(rejection(() => validate(CameraCreateSchema, { name: 'a' })).issues).toEqual([
      { path: 'mainUrl', code: 'VALIDATION_FAILED', message: expect.any(String) },
    ]);
    expect(rejection(() => validate(CameraCreateSchema, null)).issues?.[0]?.path).toBe('(body)');
    expect(rejection(() => validate(CameraCreateSchema, [])).code).toBe('VALIDATION_FAILED');
  });
});

function request(body: string | Buffer[], contentType: string | undefined): IncomingMessage {
  const stream = Readable.from(typeof body === 'string' ? [Buffer.from(body)] : body);
  return Object.assign(stream, { headers: contentType === undefined ? {} : { 'content-type': contentType } }) as unknown as IncomingMessage;
}

describe('readJson', () => {
  it('parses a JSON body', async () => {
    await expect(readJson(request('{"name":"Lobby"}', 'application/json; charset=utf-8'))).resolves.toEqual({ name: 'Lobby' });
  });

  it('joins chunks before decoding (a UTF-8 character split across chunks)', async () => {
    const bytes = Buffer.from('{"name":"Café"}');
    const split = bytes.indexOf(0xc3) + 1;
    await expect(readJson(request([bytes.subarray(0, split), bytes.subarray(split)], 'application/json'))).resolves.toEqual({ name: 'Café' });
  });

  it('rejects other content types with 415', async () => {
    await expect(readJson(request('{}', 'text/plain'))).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 });
    await expect(readJson(request('{}', undefined))).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 });
    await expect(readJson(request('{}', 'application/jsonp'))).rejects.toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('rejects broken JSON with BAD_JSON', async () => {
    await expect(readJson(request('{"name":', 'application/json'))).rejects.toMatchObject({ code: 'BAD_JSON', status: 400 });
  });

  it('rejects bodies over 64 KiB with 413', async () => {
    const big = `{"name":"${'x'.repeat(64 * 1024)}"}`;
    await expect(readJson(request(big, 'application/json'))).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE', status: 413 });
  });
});
