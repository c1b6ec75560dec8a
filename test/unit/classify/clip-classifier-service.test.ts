// The clip classifier's decisions on one camera: which regions collect clips, when (two or
// more people close together, armed rules), what each clip holds (the crop around the group,
// or the zone), and where the scores go. The scorer here computes its score from the crops it
// is given, as the generated test models do (red minus blue), so a wrong crop shows as a
// wrong score; the real worker and model are driven in test/integration/clip-classifier.test.ts.
import { describe, expect, it } from 'vitest';
import type { Box, TrackedObject } from '../../../src/shared/detection';
import type { Rule, RuleSet, Zone } from '../../../src/shared/rules';
import { ClipClassifierService, type ClipScorer } from '../../../src/main/engine/classify/clip-classifier-service';
import type { ClipModelEntry } from '../../../src/main/engine/classify/clip-model-spec';
import type { ClipFrame } from '../../../src/main/engine/classify/clip-tensor';
import type { TracksEvent } from '../../../src/main/engine/detect/detection-service';
import type { PictureBox } from '../../../src/main/engine/rules/sighting';

const W = 320;
const H = 180;
const ENTRY: ClipModelEntry = {
  id: 'fight',
  file: 'fight.onnx',
  framesPerClip: 4,
  inputLayout: 'NTHWC',
  inputSize: [32, 32],
  channelOrder: 'RGB',
  normalization: { divideBy: 255, mean: [0, 0, 0], std: [1, 1, 1] },
  labels: ['calm', 'violence'],
  positiveLabel: 'violence',
  output: 'probabilities',
  sampleFps: 5,
  licence: 'test',
  sourceUrl: '',
  sha256: '',
};

/** Scores a clip by the share of red over blue in its crops: 1 for all red, 0 for all blue. */
class RedScorer implements ClipScorer {
  readonly clips: ClipFrame[][] = [];
  async classify(frames: ClipFrame[]): Promise<number[]> {
    this.clips.push(frames);
    let red = 0;
    let blue = 0;
    for (const f of frames) {
      for (let i = 0; i < f.data.length; i += 3) {
        red += f.data[i]!;
        blue += f.data[i + 2]!;
      }
    }
    const s = red / (red + blue);
    return [1 - s, s];
  }
  snapshot() {
    return { state: 'ready' as const, reason: null, message: null, model: 'fight', provider: 'cpu', restarts: 0, clips: this.clips.length, dropped: 0, latencyMs: { p50: 0, p95: 0, count: 0 } };
  }
  stop(): void {}
}

/** A blue picture with the boxes painted red. */
function picture(boxes: readonly Box[]): Uint8Array {
  const data = new Uint8Array(W * H * 3);
  for (let i = 0; i < W * H; i++) data[i * 3 + 2] = 255;
  for (const [x1, y1, x2, y2] of boxes) for (let y = Math.max(0, y1); y < Math.min(H, y2); y++) for (let x = Math.max(0, x1); x < Math.min(W, x2); x++) data.set([255, 0, 0], (y * W + x) * 3);
  return data;
}

const person = (trackId: number, box: Box, state: TrackedObject['state'] = 'active'): TrackedObject => ({ trackId, classId: 0, label: 'person', score: 0.9, box, state });

function tracks(at: number, objects: TrackedObject[], paint: readonly Box[] = objects.map((o) => o.box)): TracksEvent {
  return {
    cameraId: 'cam',
    run: 'r1',
    tracker: {} as TracksEvent['tracker'],
    update: { objects, reportable: [], ended: [] },
    frame: { width: W, height: H, channels: 3, data: picture(paint), at },
    scale: { x: 1, y: 1 },
    width: W,
    height: H,
  } as TracksEvent;
}

const base = { name: 'Fight', cameraId: 'cam', severity: 'high' as const, enabled: true, schedule: [], timeZone: 'UTC', type: 'classifier' as const, label: 'violence', threshold: 0.5, minDurationMs: 0 };
const yard: Zone = { id: 'yard', cameraId: 'cam', name: 'Yard', kind: 'zone', polygon: [[0.5, 0], [1, 0], [1, 1], [0.5, 1]] };
const mask: Zone = { id: 'tv', cameraId: 'cam', name: 'TV', kind: 'mask', polygon: [[0, 0], [0.25, 0], [0.25, 1], [0, 1]] };

function setup(rules: Rule[], zones: Zone[] = [], entry: ClipModelEntry | null = ENTRY) {
  const scorer = new RedScorer();
  const scores: { label: string; score: number; at: number; zoneBox?: PictureBox }[] = [];
  const logs: string[] = [];
  let set: RuleSet = { zones, lines: [], rules };
  let reads = 0;
  const service = new ClipClassifierService({
    scorer: entry ? scorer : null,
    entry,
    unavailable: entry ? null : { reason: 'CLIP_MODEL_MISSING', message: 'VIGIL_CLIP_MODEL is not set' },
    rulesOf: () => (reads++, set),
    score: (_camera, label, score, at, zoneBox) => scores.push({ label, score, at, ...(zoneBox ? { zoneBox } : {}) }),
    log: (line) => logs.push(line),
  });
  return {
    service,
    scorer,
    scores,
    logs,
    reads: () => reads,
    replace(next: RuleSet) {
      set = next;
      service.rulesChanged('cam');
    },
    /** Feeds pictures every 200 ms (5 fps) from `from`, then lets the scorer answer. */
    async feed(count: number, objects: (i: number) => TrackedObject[], from = 0, paint?: (i: number) => Box[]) {
      for (let i = 0; i < count; i++) service.onTracks(tracks(from + i * 200, objects(i), paint?.(i)));
      await new Promise((r) => setImmediate(r));
    },
  };
}

const pair = (): TrackedObject[] => [person(1, [200, 60, 220, 120]), person(2, [230, 60, 250, 120])];
const apart = (): TrackedObject[] => [person(1, [10, 60, 30, 120]), person(2, [280, 60, 300, 120])];

describe('ClipClassifierService', () => {
  it('scores a clip of the whole picture while two people are close together, cropped around them', async () => {
    const t = setup([{ ...base, id: 'fight' }]);
    await t.feed(4, pair);
    expect(t.scorer.clips).toHaveLength(1);
    const crop = t.scorer.clips[0]![0]!;
    // The crop has the picture's shape and holds the pair and their margin, not the whole picture.
    // (The pair spans 50 x 60 px; with half a body height around it, 110 x 120, widened to 16:9.)
    expect(crop.width / crop.height).toBeCloseTo(W / H, 1);
    expect(crop).toMatchObject({ width: 214, height: 120 });
    expect(t.scores).toHaveLength(1);
    expect(t.scores[0]).toMatchObject({ label: 'violence', at: 600 });
    expect(t.scores[0]!.zoneBox).toBeUndefined();
    // Both (red) people whole in the crop: 2 x 20 x 60 red pixels of 214 x 120 (the whole picture would give 2400 / 57600).
    expect(t.scores[0]!.score).toBeCloseTo(2400 / (214 * 120), 6);
    // Sliding by half a clip: the next score comes two pictures later.
    await t.feed(2, pair, 800);
    expect(t.scores.map((s) => s.at)).toEqual([600, 1000]);
    expect(t.service.status().cameras).toEqual([{ cameraId: 'cam', regions: [expect.objectContaining({ region: 'picture', triggered: true, clips: 2, lastRunAt: 1000 })] }]);
  });

  it('never runs for one person, for people far apart, or for lost tracks', async () => {
    const t = setup([{ ...base, id: 'fight' }]);
    await t.feed(10, () => [person(1, [200, 60, 220, 120])]);
    await t.feed(10, apart, 2000);
    await t.feed(10, () => [person(1, [200, 60, 220, 120]), person(2, [230, 60, 250, 120], 'lost')], 4000);
    expect(t.scorer.clips).toHaveLength(0);
    expect(t.service.status().cameras[0]!.regions[0]).toMatchObject({ triggered: false, buffered: 0, clips: 0, lastRunAt: null });
    // Rules are read once per camera, not per picture.
    expect(t.reads()).toBe(1);
  });

  it('a zone rule collects only while the close group stands in its zone, and scores carry the zone box', async () => {
    const t = setup([{ ...base, id: 'yard-fight', zoneId: 'yard' }], [yard]);
    // Close together, but on the left half (outside the yard).
    await t.feed(6, () => [person(1, [40, 60, 60, 120]), person(2, [70, 60, 90, 120])]);
    expect(t.scorer.clips).toHaveLength(0);
    await t.feed(4, pair, 2000);
    expect(t.scorer.clips).toHaveLength(1);
    // The crop is the yard: the right half of the picture.
    expect(t.scorer.clips[0]![0]).toMatchObject({ width: W / 2, height: H });
    expect(t.scores).toEqual([{ label: 'violence', score: expect.any(Number), at: 2600, zoneBox: [0.5, 0, 1, 1] }]);
  });

  it('does not count people standing in a mask', async () => {
    const t = setup([{ ...base, id: 'fight' }], [mask]);
    await t.feed(8, () => [person(1, [20, 60, 40, 120]), person(2, [45, 60, 65, 120])]);
    expect(t.scorer.clips).toHaveLength(0);
  });

  it('keeps collecting through a short loss of the group, and starts over after a long one', async () => {
    const t = setup([{ ...base, id: 'fight' }]);
    // The pair at 0 and 200 ms, then nobody: pictures keep coming into clips (cropped where the
    // pair was) until 1.5 s after the pair was last seen (1700 ms).
    await t.feed(2, pair);
    await t.feed(5, () => [], 400);
    expect(t.service.status().cameras[0]!.regions[0]!.triggered).toBe(true);
    await t.feed(10, () => [], 1400);
    expect(t.scores.map((s) => s.at)).toEqual([600, 1000, 1400]);
    expect(t.service.status().cameras[0]!.regions[0]).toMatchObject({ triggered: false, buffered: 0 });
    // The pair again at 4 s: a clip of four new pictures, none from before the loss.
    await t.feed(4, pair, 4000);
    expect(t.scores.map((s) => s.at)).toEqual([600, 1000, 1400, 4600]);
  });

  it('does not run while no rule of the region is armed', async () => {
    // Armed only 03:00-04:00 UTC on Sundays; the pictures are at 1970-01-01 00:00 UTC, a Thursday.
    const t = setup([{ ...base, id: 'fight', schedule: [{ days: [0], from: '03:00', to: '04:00' }] }]);
    await t.feed(8, pair);
    expect(t.scorer.clips).toHaveLength(0);
  });

  it('follows rule changes, and says which rules ask for a label the model does not score', async () => {
    const t = setup([{ ...base, id: 'falls', label: 'fall' }]);
    await t.feed(8, pair);
    expect(t.scorer.clips).toHaveLength(0);
    expect(t.logs.join('\n')).toMatch(/rule falls asks for "fall", which clip model fight does not score \(labels: calm, violence\)/);
    t.replace({ zones: [], lines: [], rules: [{ ...base, id: 'fight' }] });
    await t.feed(4, pair, 2000);
    expect(t.scorer.clips).toHaveLength(1);
    expect(t.reads()).toBe(2);
  });

  it('without a clip model, says once why classifier rules raise nothing', async () => {
    const t = setup([{ ...base, id: 'fight' }], [], null);
    await t.feed(8, pair);
    t.service.rulesChanged('cam');
    await t.feed(8, pair, 2000);
    expect(t.logs.filter((line) => line.includes('clip classifier off (CLIP_MODEL_MISSING)'))).toHaveLength(1);
    expect(t.service.status()).toMatchObject({ state: 'off', reason: 'CLIP_MODEL_MISSING', model: null });
  });
});
