import { describe, expect, it } from 'vitest';
import { isSafeListedPath } from '../../../src/main/engine/evidence/evidence-manifest';
import { actionsCsv, tracksJson } from '../../../src/main/engine/evidence/evidence-tables';

describe('evidence tables', () => {
  it('quotes CSV cells and defuses formulas, while JSON keeps the exact text', () => {
    const csv = actionsCsv([
      { at: 0, who: '+44 20 7946 0000', what: 'call, then note', details: 'line 1\nline "2"' },
      { at: 1000, who: '@desk', what: '-', details: null },
    ]);
    expect(csv.split('\r\n')).toEqual(['\uFEFFtime,who,what,details', `1970-01-01T00:00:00.000Z,'+44 20 7946 0000,"call, then note","line 1\nline ""2"""`, "1970-01-01T00:00:01.000Z,'@desk,'-,", '']);
  });

  it('writes tracks earliest first, with ISO times and the camera name', () => {
    const json = JSON.parse(
      tracksJson(
        [
          { cameraId: 'b', label: 'car', firstSeen: 2000, lastSeen: 3000, bestScore: 0.5, bestBox: [0, 0, 1, 1] },
          { cameraId: 'a', label: 'person', firstSeen: 1000, lastSeen: 4000, bestScore: 0.9, bestBox: [1, 2, 3, 4], samples: [{ t: 1000, box: [1, 2, 3, 4], score: 0.9 }] },
        ],
        new Map([['a', 'Gate']]),
      ),
    ) as { tracks: { cameraName: string | null; firstSeenIso: string; samples: unknown[] }[] };
    expect(json.tracks.map((t) => [t.cameraName, t.firstSeenIso, t.samples.length])).toEqual([
      ['Gate', '1970-01-01T00:00:01.000Z', 1],
      [null, '1970-01-01T00:00:02.000Z', 0],
    ]);
  });
});

describe('isSafeListedPath', () => {
  it('accepts plain relative paths and refuses anything that leaves the folder', () => {
    expect(isSafeListedPath('video/cam-1.mp4')).toBe(true);
    for (const bad of ['', '/etc/passwd', '../x', 'video/../../x', 'a//b', './a', 'C:/x', 'video\\x.mp4']) expect(isSafeListedPath(bad)).toBe(false);
  });
});
