import { describe, expect, it } from 'vitest';
import type { CameraView } from '../../../src/shared/cameras';
import { CameraCreateSchema, CameraUpdateSchema } from '../../../src/shared/cameras';
import { API_REASONS } from '../../../src/shared/reasons';
import { buildCreate, buildUpdate, emptyForm, fieldForPath, formFromCamera, problemsFromIssues } from '../../../src/renderer/features/cameras/form';

const camera: CameraView = {
  id: 'cam1',
  name: 'Gate',
  mainUrl: 'rtsp://admin:***@10.0.0.5/stream1',
  subUrl: 'rtsp://admin:***@10.0.0.5/stream2',
  sourceKind: 'rtsp',
  enabled: true,
  options: { rtspTransport: 'tcp', liveTranscode: 'auto', stallSeconds: 10, detect: true, detectFps: 5, detectWidth: 640, hwaccel: 'none', motionThreshold: 25, motionMinArea: 0.002, motionMasks: [], record: true },
  demo: false,
  status: { state: 'live', reason: null, message: null, since: 0, restarts: 0, nextRetryAt: null, streams: [] },
};

describe('buildCreate', () => {
  it('builds a body the contract accepts', () => {
    const result = buildCreate({ ...emptyForm(), name: ' Yard ', mainUrl: 'rtsp://10.0.0.9/live' });
    expect(result).toEqual({
      ok: true,
      body: { name: 'Yard', mainUrl: 'rtsp://10.0.0.9/live', enabled: true, options: { rtspTransport: 'tcp', liveTranscode: 'auto', stallSeconds: 10 } },
    });
    if (result.ok) expect(CameraCreateSchema.safeParse(result.body).success).toBe(true);
  });

  it('sends the sub stream and transcode size only when given', () => {
    const result = buildCreate({ ...emptyForm(), name: 'A', mainUrl: 'file:///x.mp4', subUrl: 'file:///y.mp4', transcodeWidth: '640', transcodeHeight: '360' });
    expect(result.ok && result.body.subUrl).toBe('file:///y.mp4');
    expect(result.ok && result.body.options?.transcodeSize).toEqual({ width: 640, height: 360 });
  });

  it('flags number fields the form itself cannot parse', () => {
    const result = buildCreate({ ...emptyForm(), stallSeconds: 'ten', transcodeWidth: '640' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems['options.stallSeconds']?.code).toBe('VALIDATION_FAILED');
      expect(result.problems['options.transcodeSize']?.code).toBe('RESOLUTION_OUT_OF_RANGE');
    }
  });
});

describe('buildUpdate', () => {
  it('sends nothing when nothing changed (redacted URLs are never sent back)', () => {
    expect(buildUpdate(camera, formFromCamera(camera))).toEqual({ ok: true, body: {} });
  });

  it('sends only the changed fields', () => {
    const values = { ...formFromCamera(camera), name: 'Front gate', enabled: false, stallSeconds: '20' };
    const result = buildUpdate(camera, values);
    expect(result).toEqual({ ok: true, body: { name: 'Front gate', enabled: false, options: { stallSeconds: 20 } } });
    if (result.ok) expect(CameraUpdateSchema.safeParse(result.body).success).toBe(true);
  });

  it('clears the sub stream with null and replaces a changed URL', () => {
    const values = { ...formFromCamera(camera), subUrl: '', mainUrl: 'rtsp://admin:secret@10.0.0.5/stream1' };
    expect(buildUpdate(camera, values)).toEqual({ ok: true, body: { subUrl: null, mainUrl: 'rtsp://admin:secret@10.0.0.5/stream1' } });
  });
});

describe('API issues on fields', () => {
  it('maps issue paths to form fields', () => {
    expect(fieldForPath('mainUrl')).toBe('mainUrl');
    expect(fieldForPath('options.transcodeSize.width')).toBe('options.transcodeSize');
    expect(fieldForPath('options.stallSeconds')).toBe('options.stallSeconds');
    expect(fieldForPath('options')).toBeNull();
    expect(fieldForPath('')).toBeNull();
  });

  it('keeps the reason code and the most specific message', () => {
    const { fields, other } = problemsFromIssues([
      { path: 'mainUrl', code: 'URL_SCHEME_UNSUPPORTED', message: 'URL_SCHEME_UNSUPPORTED' },
      { path: 'options.stallSeconds', code: 'VALIDATION_FAILED', message: 'Too big: expected number to be <=120' },
      { path: 'name', code: 'too_small', message: 'Too small: expected string to have >=1 characters' },
      { path: 'mainUrl', code: 'URL_INVALID', message: 'second issue on the same field' },
      { path: 'bogus', code: 'unrecognized_keys', message: 'Unrecognized key' },
    ]);
    expect(fields.mainUrl).toEqual({ code: 'URL_SCHEME_UNSUPPORTED', message: API_REASONS.URL_SCHEME_UNSUPPORTED });
    expect(fields['options.stallSeconds']).toEqual({ code: 'VALIDATION_FAILED', message: 'Too big: expected number to be <=120' });
    expect(fields.name).toEqual({ code: 'too_small', message: 'Too small: expected string to have >=1 characters' });
    expect(other).toEqual([{ code: 'unrecognized_keys', message: 'bogus: Unrecognized key' }]);
  });
});
