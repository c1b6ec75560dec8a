// The incident snapshot: boxes drawn into a copy of the analysed picture, the incident's own
// track highlighted, and the picture encoded by the real FFmpeg to a JPEG at a path derived
// from the incident id, once every listener of the raising frame has run.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Box, TrackedObject } from '../../../src/shared/detection';
import type { Incident } from '../../../src/shared/incidents';
import type { TracksEvent } from '../../../src/main/engine/detect/detection-service';
import { CONTEXT_RGB, drawIncidentFrame, HIGHLIGHT_RGB, lineWidths } from '../../../src/main/engine/snapshots/incident-frame-boxes';
import { framedBoxes, IncidentFrames, incidentSnapshotPath, incidentSnapshotRef, MAX_PICTURE_AGE_MS } from '../../../src/main/engine/snapshots/incident-frame';

const GREY = 90;

function picture(width: number, height: number): { width: number; height: number; data: Uint8Array } {
  return { width, height, data: new Uint8Array(width * height * 3).fill(GREY) };
}

function pixel(p: { width: number; data: Uint8Array }, x: number, y: number): number[] {
  const at = (y * p.width + x) * 3;
  return [p.data[at]!, p.data[at + 1]!, p.data[at + 2]!];
}

function object(trackId: number, box: Box, state: TrackedObject['state'] = 'active'): TrackedObject {
  return { trackId, label: 'person', classId: 0, score: 0.9, box, state };
}

/** Width and height from a JPEG's start-of-frame marker. */
function jpegSize(jpeg: Buffer): { width: number; height: number } {
  expect(jpeg.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
  let at = 2;
  while (at < jpeg.length) {
    const marker = jpeg[at + 1]!;
    const length = jpeg.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) return { height: jpeg.readUInt16BE(at + 5), width: jpeg.readUInt16BE(at + 7) };
    at += 2 + length;
  }
  throw new Error('no SOF marker');
}

describe('drawIncidentFrame', () => {
  it('outlines every box, the highlighted one thicker and in its own colour, on a copy', () => {
    const source = picture(416, 234);
    const out = drawIncidentFrame(source, [
      { box: [10, 10, 60, 110], highlight: false },
      { box: [100, 50, 200, 200], highlight: true },
    ]);
    expect(source.data.every((v) => v === GREY)).toBe(true);
    const lines = lineWidths(416);
    expect(lines).toEqual({ highlight: 2, context: 1 });
    expect(pixel(out, 10, 50)).toEqual([...CONTEXT_RGB]);
    expect(pixel(out, 11, 50)).toEqual([GREY, GREY, GREY]);
    expect(pixel(out, 100, 120)).toEqual([...HIGHLIGHT_RGB]);
    expect(pixel(out, 101, 120)).toEqual([...HIGHLIGHT_RGB]);
    expect(pixel(out, 102, 120)).toEqual([GREY, GREY, GREY]);
    expect(pixel(out, 150, 50)).toEqual([...HIGHLIGHT_RGB]);
    expect(pixel(out, 150, 199)).toEqual([...HIGHLIGHT_RGB]);
    expect(pixel(out, 150, 120)).toEqual([GREY, GREY, GREY]);
  });

  it('draws the highlight over context boxes, clips boxes past the edges and cuts odd sides to even', () => {
    const out = drawIncidentFrame(picture(101, 51), [
      { box: [20, 20, 40, 40], highlight: true },
      { box: [20, 20, 40, 40], highlight: false },
      { box: [-30, -30, 500, 500], highlight: false },
    ]);
    expect(out.width).toBe(100);
    expect(out.height).toBe(50);
    expect(out.data.length).toBe(100 * 50 * 3);
    expect(pixel(out, 20, 30)).toEqual([...HIGHLIGHT_RGB]);
    // The box past every edge leaves no outline inside the picture.
    expect(pixel(out, 0, 0)).toEqual([GREY, GREY, GREY]);
    expect(pixel(out, 99, 49)).toEqual([GREY, GREY, GREY]);
  });
});

describe('framedBoxes', () => {
  const scale = { x: 2, y: 2 };
  it('maps source boxes into the picture and highlights the incident track; lost tracks are left out', () => {
    const objects = [object(1, [100, 100, 200, 300]), object(2, [300, 100, 400, 300]), object(3, [0, 0, 10, 10], 'lost')];
    expect(framedBoxes({ trackId: 2, details: {} }, { scale, objects })).toEqual([
      { box: [50, 50, 100, 150], highlight: false },
      { box: [150, 50, 200, 150], highlight: true },
    ]);
    // Camera-wide incidents (count, offline) highlight nothing.
    expect(framedBoxes({ trackId: null, details: {} }, { scale, objects }).some((b) => b.highlight)).toBe(false);
  });

  it('falls back to the box the rule saw when the incident track is not in the picture', () => {
    const boxes = framedBoxes({ trackId: 9, details: { box: [20, 40, 60, 80] } }, { scale, objects: [object(1, [100, 100, 200, 300])] });
    expect(boxes).toEqual([
      { box: [50, 50, 100, 150], highlight: false },
      { box: [10, 20, 30, 40], highlight: true },
    ]);
  });
});

describe('IncidentFrames', () => {
  let dir: string;
  let now: number;
  let frames: IncidentFrames;
  const logs: string[] = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'vigil-incident-frames-'));
    now = 1_000_000;
    frames = new IncidentFrames({ snapshotsDir: dir, ffmpegPath: 'ffmpeg', log: (line) => logs.push(line), now: () => now });
  });

  afterEach(() => {
    frames.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  function tracksEvent(cameraId: string, objects: TrackedObject[], at = now): TracksEvent {
    const frame = { ...picture(416, 234), channels: 3 as const, at };
    return { cameraId, run: 'r1', tracker: null as never, update: { objects, reportable: [], ended: [] }, frame, scale: { x: 640 / 416, y: 360 / 234 }, width: 640, height: 360 };
  }

  function incident(id: string, cameraId: string, trackId: number | null): Incident {
    return { id, cameraId, cameraName: 'Gate', ruleId: 'r', ruleName: 'R', type: 'presence', severity: 'high', state: 'new', trackId, label: 'person', startedAt: now, updatedAt: now, endedAt: null, owner: null, evidenceLock: false, snapshotRef: null, details: {} };
  }

  it('snapshots the picture that raised the incident, even when raised before its listener saw it', async () => {
    frames.observe(tracksEvent('cam', [object(1, [0, 0, 64, 64])]));
    const id = '3f2b6a1c-0000-4000-8000-000000000001';
    // The incidents service hears the frame first and raises; observe() sees it right after.
    const raising = tracksEvent('cam', [object(1, [64, 72, 320, 288]), object(2, [400, 10, 600, 200])]);
    frames.capture(incident(id, 'cam', 1));
    frames.observe(raising);
    expect(frames.path(id)).toBeNull();
    const file = await frames.ready(id);
    expect(file).toBe(join(dir, 'incidents', `${id}.jpg`));
    expect(incidentSnapshotPath(dir, id)).toBe(file);
    const jpeg = readFileSync(file!);
    expect(jpegSize(jpeg)).toEqual({ width: 416, height: 234 });
    // Decoded back: the highlight's red along the raising track's box (source 64,72 -> picture ~41.6,46.8).
    const rgb = execFileSync('ffmpeg', ['-v', 'error', '-i', file!, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-']);
    const decoded = { width: 416, data: new Uint8Array(rgb) };
    const [r, g, b] = pixel(decoded, 100, 47);
    expect(r).toBeGreaterThan(180);
    expect(g).toBeLessThan(100);
    expect(b).toBeLessThan(100);
    const [gr, gg, gb] = pixel(decoded, 100, 120);
    expect(Math.abs(gr! - GREY) + Math.abs(gg! - GREY) + Math.abs(gb! - GREY)).toBeLessThan(30);
  });

  it('takes no snapshot without a picture, with a stale one, or for an unusable id', async () => {
    frames.capture(incident('a0000000-0000-4000-8000-000000000001', 'no-pictures', null));
    expect(await frames.ready('a0000000-0000-4000-8000-000000000001')).toBeNull();
    frames.observe(tracksEvent('old', [], now - MAX_PICTURE_AGE_MS - 1));
    frames.capture(incident('a0000000-0000-4000-8000-000000000002', 'old', null));
    expect(await frames.ready('a0000000-0000-4000-8000-000000000002')).toBeNull();
    expect(incidentSnapshotRef('../../etc/passwd')).toBeNull();
    expect(incidentSnapshotPath(dir, '../x')).toBeNull();
  });

  it('keeps the last real picture when a stopping camera reports an empty one, and forgets a deleted camera', async () => {
    frames.observe(tracksEvent('cam', [object(4, [10, 10, 100, 100])]));
    frames.observe({ ...tracksEvent('cam', []), frame: { width: 0, height: 0, channels: 3, data: new Uint8Array(0), at: now } });
    const kept = 'b0000000-0000-4000-8000-000000000001';
    frames.capture(incident(kept, 'cam', null));
    expect(await frames.ready(kept)).not.toBeNull();
    frames.forget('cam');
    const forgotten = 'b0000000-0000-4000-8000-000000000002';
    frames.capture(incident(forgotten, 'cam', null));
    expect(await frames.ready(forgotten)).toBeNull();
  });
});
