// What an export request may say (ExportCreateSchema, checked by the engine through the API's
// validate()), the dialog's own checks and words, the download's file name, and the boxes
// the burn-in draws.
import { describe, expect, it } from 'vitest';
import { boxIntervals, drawboxScript, MAX_BOXES } from '../../../src/main/engine/evidence/burn-in';
import { archiveFileName, newExportId } from '../../../src/main/engine/evidence/export-folders';
import { validate } from '../../../src/main/engine/api/request-body';
import { EngineError } from '../../../src/main/engine/engine-error';
import { ExportCreateSchema } from '../../../src/shared/exports';
import { checkExportForm, formatFingerprint, formatSpan, fromLocalInput, progressLine, toLocalInput } from '../../../src/renderer/features/export/export-form';

function codeOf(body: unknown): string | null {
  try {
    validate(ExportCreateSchema, body);
    return null;
  } catch (error) {
    return (error as EngineError).code;
  }
}

describe('ExportCreateSchema', () => {
  const now = Date.UTC(2025, 2, 14, 9, 0, 0);

  it('takes an incident (with extra cameras or its own range) or cameras with a range', () => {
    expect(validate(ExportCreateSchema, { incidentId: 'a1b2', who: ' ana ' })).toEqual({ incidentId: 'a1b2', burnInBoxes: false, who: 'ana' });
    expect(codeOf({ incidentId: 'a1b2', cameraIds: ['cam-2'], who: 'ana' })).toBeNull();
    expect(codeOf({ incidentId: 'a1b2', from: now, to: now + 1000, burnInBoxes: true, who: 'ana' })).toBeNull();
    expect(codeOf({ cameraIds: ['cam-1', 'cam_2'], from: now, to: now + 1000, title: 'Gate', who: 'ana' })).toBeNull();
  });

  it('names what is wrong with a reason code', () => {
    expect(codeOf({ who: 'ana' })).toBe('EXPORT_TARGET_INVALID');
    expect(codeOf({ cameraIds: [], from: now, to: now + 1, who: 'ana' })).toBe('EXPORT_TARGET_INVALID');
    expect(codeOf({ cameraIds: ['cam-1'], from: now, who: 'ana' })).toBe('EXPORT_TARGET_INVALID');
    expect(codeOf({ incidentId: 'a1b2', from: now, who: 'ana' })).toBe('EXPORT_BAD_RANGE');
    expect(codeOf({ cameraIds: ['cam-1'], from: now, to: now, who: 'ana' })).toBe('EXPORT_BAD_RANGE');
    expect(codeOf({ cameraIds: ['cam-1'], from: now, to: now + 24 * 3600_000 + 1, who: 'ana' })).toBe('EXPORT_RANGE_TOO_LONG');
    expect(codeOf({ incidentId: 'a1b2', who: 'ana', extra: 1 })).toBe('UNKNOWN_FIELD');
    expect(codeOf({ incidentId: '../etc', who: 'ana' })).toBe('VALIDATION_FAILED');
    expect(codeOf({ incidentId: 'a1b2', who: '  ' })).toBe('VALIDATION_FAILED');
    expect(codeOf({ cameraIds: Array.from({ length: 17 }, (_, i) => `c${i}`), from: now, to: now + 1, who: 'ana' })).toBe('VALIDATION_FAILED');
  });
});

describe('export dialog form', () => {
  it('reads and writes local date-times', () => {
    const at = new Date(2025, 2, 14, 9, 5, 7).getTime();
    expect(toLocalInput(at)).toBe('2025-03-14T09:05:07');
    expect(fromLocalInput('2025-03-14T09:05:07')).toBe(at);
    expect(fromLocalInput('2025-03-14T09:05')).toBe(at - 7000);
    expect(fromLocalInput('2025-03-14')).toBeNull();
    expect(fromLocalInput('yesterday')).toBeNull();
  });

  it('checks cameras, range and name before asking the engine', () => {
    const ok = { cameraIds: ['cam-1'], from: '2025-03-14T09:00:00', to: '2025-03-14T09:01:00', title: '', who: 'ana' };
    expect(checkExportForm(ok)).toEqual([]);
    expect(checkExportForm({ ...ok, cameraIds: [] }).map((p) => p.code)).toEqual(['EXPORT_TARGET_INVALID']);
    expect(checkExportForm({ ...ok, to: ok.from }).map((p) => [p.field, p.code])).toEqual([['to', 'EXPORT_BAD_RANGE']]);
    expect(checkExportForm({ ...ok, to: '2025-03-15T09:00:01' }).map((p) => p.code)).toEqual(['EXPORT_RANGE_TOO_LONG']);
    expect(checkExportForm({ ...ok, from: '' }).map((p) => p.field)).toEqual(['from']);
    expect(checkExportForm({ ...ok, who: ' ' }).map((p) => p.field)).toEqual(['who']);
  });

  it('words spans, fingerprints and progress', () => {
    expect(formatSpan(48_000)).toBe('48 s');
    expect(formatSpan(90_000)).toBe('1 min 30 s');
    expect(formatSpan(3_600_000)).toBe('1 h');
    expect(formatFingerprint('ABCDEF0123456789')).toBe('abcd ef01 2345 6789');
    expect(progressLine({ state: 'running', progress: 0.426 })).toBe('Exporting… 42 %');
    expect(progressLine({ state: 'done', progress: 1 })).toBe('Done');
  });
});

describe('export folders and downloads', () => {
  it('names jobs by time, and downloads with an ASCII file name', () => {
    const id = newExportId(Date.UTC(2025, 2, 14, 9, 0, 5, 123), 'a1b2c3d4');
    expect(id).toBe('20250314T090005Z-a1b2c3d4');
    expect(archiveFileName({ id, title: 'Présence à la porte "Nord"/2' })).toBe(`vigil-evidence-Presence-a-la-porte-Nord-2-${id}.zip`);
    expect(archiveFileName({ id, title: '☂☂☂' })).toBe(`vigil-evidence-${id}.zip`);
  });
});

describe('burn-in boxes', () => {
  const clipStart = 1_000_000;
  const track = (samples: { t: number; box: [number, number, number, number] }[], label = 'person') => ({
    cameraId: 'cam-1', label, firstSeen: samples[0]!.t, lastSeen: samples.at(-1)!.t, bestScore: 0.9, bestBox: samples[0]!.box,
    frameWidth: 640, frameHeight: 360, samples: samples.map((s) => ({ ...s, score: 0.9 })),
  });

  it('shows each sample until the next one, in picture shares, on the clip timeline', () => {
    const intervals = boxIntervals([track([{ t: clipStart + 500, box: [64, 36, 128, 180] }, { t: clipStart + 1000, box: [70, 36, 134, 180] }, { t: clipStart + 5000, box: [0, 0, 700, 400] }])], clipStart, clipStart + 10_000);
    expect(intervals).toEqual([
      { from: 0.5, to: 1, box: [0.1, 0.1, 0.2, 0.5], color: 'yellow' },
      // The next sample is 4 s later: the track was lost meanwhile, the box shows briefly.
      { from: 1, to: 1.5, box: [70 / 640, 0.1, 134 / 640, 0.5], color: 'yellow' },
      // Outside the frame: clamped to the picture.
      { from: 5, to: 5.5, box: [0, 0, 1, 1], color: 'yellow' },
    ]);
  });

  it('leaves out what is outside the clip or has no frame size', () => {
    const before = track([{ t: clipStart - 3000, box: [1, 1, 10, 10] }], 'car');
    const unsized = { ...track([{ t: clipStart + 100, box: [1, 1, 10, 10] }]), frameWidth: 0 };
    expect(boxIntervals([before, unsized], clipStart, clipStart + 10_000)).toEqual([]);
  });

  it('thins very long paths evenly, and writes one drawbox per interval', () => {
    const long = track(Array.from({ length: MAX_BOXES * 3 }, (_, i) => ({ t: clipStart + i * 500, box: [10, 10, 50, 50] as [number, number, number, number] })));
    const intervals = boxIntervals([long], clipStart, clipStart + MAX_BOXES * 3 * 500);
    expect(intervals.length).toBeLessThanOrEqual(MAX_BOXES + 1);
    expect(intervals.length).toBeGreaterThan(MAX_BOXES * 0.9);
    // Thinned samples hold until the next kept one: no holes in the path.
    expect(intervals[1]!.from).toBe(intervals[0]!.to);
    const script = drawboxScript(intervals.slice(0, 2));
    expect(script).toBe(
      "[0:v]drawbox=x=iw*0.01563:y=ih*0.02778:w=iw*0.06250:h=ih*0.11111:color=yellow@0.9:thickness=3:enable='between(t,0.000,1.500)',\n" +
        "drawbox=x=iw*0.01563:y=ih*0.02778:w=iw*0.06250:h=ih*0.11111:color=yellow@0.9:thickness=3:enable='between(t,1.500,3.000)',\n" +
        'format=yuv420p[boxes]\n',
    );
  });
});
