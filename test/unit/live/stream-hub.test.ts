import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Mp4BoxSplitter } from '../../../src/main/engine/live/fmp4';
import { StreamHub, type LiveFragment, type LiveInit, type LiveSubscriber } from '../../../src/main/engine/live/stream-hub';

// Real FFmpeg output, made the way the engine runs FFmpeg for live video.
const run = promisify(execFile);
const DEMO = fileURLToPath(new URL('../../../resources/demo/vtest-640x360.mp4', import.meta.url));
const LIVE_MOVFLAGS = ['-f', 'mp4', '-movflags', 'empty_moov+default_base_moof+frag_every_frame'];

let dir = '';
/** 10 s of the demo: 100 frames at 10 fps, keyframes every 20. */
let h264: Buffer = Buffer.alloc(0);
let h265: Buffer = Buffer.alloc(0);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-hub-'));
  const make = async (args: string[], name: string) => {
    const out = join(dir, name);
    await run('ffmpeg', ['-v', 'error', '-y', '-i', DEMO, ...args, '-an', ...LIVE_MOVFLAGS, out]);
    return readFile(out);
  };
  [h264, h265] = await Promise.all([
    make(['-t', '10', '-c:v', 'copy'], 'h264.mp4'),
    make(['-t', '2', '-c:v', 'libx265', '-x265-params', 'log-level=error', '-s', '320x180'], 'h265.mp4'),
  ]);
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Feeds bytes in deterministic pseudo-random pieces (up to 3000 bytes), as a pipe would. */
function feed(hub: StreamHub, bytes: Buffer, seed = 1, onChunk?: () => void): void {
  let state = seed;
  for (let at = 0; at < bytes.length; ) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const size = 1 + (state % 3000);
    hub.push(Buffer.from(bytes.subarray(at, at + size)));
    at += size;
    onChunk?.();
  }
}

/** The bytes a viewer should see: the file up to its last mdat (FFmpeg appends an mfra index). */
function relayedPart(bytes: Buffer): Buffer {
  const boxes = new Mp4BoxSplitter().push(bytes);
  const lastMdat = boxes.map((box) => box.type).lastIndexOf('mdat');
  return Buffer.concat(boxes.slice(0, lastMdat + 1).map((box) => box.data));
}

/** A fake viewer that records what it is sent, with a send buffer the test controls. */
class Viewer implements LiveSubscriber {
  readonly calls: Array<{ init: LiveInit } | { data: Buffer }> = [];
  buffered = 0;
  onSend: (data: Buffer) => void = () => {};

  send(data: Buffer): void {
    this.onSend(data);
    this.calls.push({ data });
  }
  bufferedBytes(): number {
    return this.buffered;
  }
  onInit(init: LiveInit): void {
    this.calls.push({ init });
  }
  /** Indexes (into `fragments`) of the media fragments received, in order. */
  fragmentIndexes(fragments: LiveFragment[]): number[] {
    return this.sent()
      .map((data) => fragments.findIndex((fragment) => fragment.data === data))
      .filter((index) => index >= 0);
  }
  sent(): Buffer[] {
    return this.calls.flatMap((call) => ('data' in call ? [call.data] : []));
  }
}

/** A hub whose fragments and inits are recorded, on a clock the test moves. */
function recordedHub(maxQueuedBytes?: number) {
  const clock = { ms: 1_000 };
  const hub = new StreamHub({ maxQueuedBytes, now: () => clock.ms });
  const fragments: LiveFragment[] = [];
  const inits: LiveInit[] = [];
  const corrupt: Error[] = [];
  hub.on('fragment', (fragment) => fragments.push(fragment));
  hub.on('init', (init) => inits.push(init));
  hub.on('corrupt', (error) => corrupt.push(error));
  return { hub, clock, fragments, inits, corrupt };
}

const keyIndexes = (fragments: LiveFragment[]) => fragments.flatMap((f, i) => (f.keyframe ? [i] : []));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('StreamHub', () => {
  it('relays the init segment, then every fragment, byte for byte', () => {
    const { hub, fragments, inits } = recordedHub();
    const viewer = new Viewer();
    hub.subscribe(viewer);
    expect(hub.init).toBeNull();
    feed(hub, h264);

    expect(inits).toHaveLength(1);
    expect(hub.init).toBe(inits[0]);
    expect(hub.init?.mime).toBe('video/mp4; codecs="avc1.4d4016"');
    expect(hub.init).toMatchObject({ width: 640, height: 360, fourcc: 'avc1' });
    expect(fragments).toHaveLength(100);
    expect(keyIndexes(fragments)).toEqual([0, 20, 40, 60, 80]);

    // onInit comes first, then the init bytes, then the media.
    expect(viewer.calls[0]).toEqual({ init: hub.init });
    expect(viewer.calls[1]).toEqual({ data: hub.init?.data });
    expect(Buffer.concat(viewer.sent()).equals(relayedPart(h264))).toBe(true);
    expect(hub.stats()).toMatchObject({
      subscribers: 1,
      fragmentsIn: 100,
      keyframesIn: 5,
      bytesIn: h264.length,
      skippedFragments: 0,
      lastDataAt: 1_000,
    });
  });

  it('starts a late viewer with the init segment, then at the next keyframe', () => {
    const { hub, fragments } = recordedHub();
    const late = new Viewer();
    hub.on('fragment', () => {
      if (fragments.length === 5) hub.subscribe(late);
    });
    feed(hub, h264);

    expect(late.calls[0]).toEqual({ init: hub.init });
    expect(late.calls[1]).toEqual({ data: hub.init?.data });
    expect(late.fragmentIndexes(fragments)).toEqual(range(20, 100));
    expect(late.sent()).toHaveLength(2 + 80 - 1); // init bytes + fragments 20..99
  });

  it('sends the init segment at once to a viewer that joins after it', () => {
    const { hub, fragments } = recordedHub();
    feed(hub, h264.subarray(0, 2000));
    expect(hub.init).not.toBeNull();
    const viewer = new Viewer();
    hub.subscribe(viewer);
    expect(viewer.calls).toEqual([{ init: hub.init }, { data: hub.init?.data }]);
    feed(hub, h264.subarray(2000));
    expect(viewer.fragmentIndexes(fragments)).toEqual(range(0, 100));
  });

  it('skips a slow viewer until it has drained and a keyframe comes, and counts what it missed', () => {
    const MAX = 1_000_000;
    const { hub, fragments } = recordedHub(MAX);
    const slow = new Viewer();
    const healthy = new Viewer();
    hub.subscribe(slow);
    hub.subscribe(healthy);
    // The viewer's buffer as it would be when each fragment arrives.
    hub.on('fragment', () => {
      const next = fragments.length;
      if (next === 10) slow.buffered = MAX + 1; // backed up: fragment 10 on is skipped
      if (next === 30) slow.buffered = 0.75 * MAX; // draining, but the keyframe at 40 is too soon
      if (next === 45) slow.buffered = MAX / 2 - 1; // drained: resume at the keyframe at 60
    });
    feed(hub, h264);

    expect(slow.fragmentIndexes(fragments)).toEqual([...range(0, 10), ...range(60, 100)]);
    expect(healthy.fragmentIndexes(fragments)).toEqual(range(0, 100));
    expect(hub.stats().skippedFragments).toBe(50);
  });

  it('drops a viewer whose send throws, and only that one', () => {
    const { hub, fragments } = recordedHub();
    const broken = new Viewer();
    const fine = new Viewer();
    broken.onSend = () => {
      if (broken.sent().length === 3) throw new Error('socket closed');
    };
    hub.subscribe(broken);
    hub.subscribe(fine);
    const brokenInit = new Viewer();
    brokenInit.onInit = () => {
      throw new Error('no decoder');
    };
    hub.subscribe(brokenInit);
    feed(hub, h264);

    expect(broken.fragmentIndexes(fragments)).toEqual([0, 1]);
    expect(fine.fragmentIndexes(fragments)).toEqual(range(0, 100));
    expect(brokenInit.sent()).toEqual([]);
    expect(hub.stats().subscribers).toBe(1);
  });

  it('stops sending once unsubscribed, even from inside send', () => {
    const { hub, fragments } = recordedHub();
    const viewer = new Viewer();
    const other = new Viewer();
    const unsubscribe = hub.subscribe(viewer);
    const unsubscribeOther = hub.subscribe(other);
    viewer.onSend = () => {
      if (viewer.sent().length === 5) unsubscribeOther();
      if (viewer.sent().length === 10) unsubscribe();
    };
    feed(hub, h264);
    expect(viewer.fragmentIndexes(fragments)).toEqual(range(0, 10));
    expect(other.fragmentIndexes(fragments)).toEqual(range(0, 4));
    expect(hub.stats().subscribers).toBe(0);
  });

  it('after reset(), gives every viewer the new init segment and waits for a keyframe again', () => {
    const { hub, fragments, inits } = recordedHub();
    const viewer = new Viewer();
    hub.subscribe(viewer);
    // Cut in the middle of a box: the restart must not leave its half behind.
    feed(hub, h264.subarray(0, Math.floor(h264.length / 2) + 7));
    const before = fragments.length;
    hub.reset();
    expect(hub.init).toBeNull();
    feed(hub, h265);

    expect(inits.map((init) => init.codec)).toEqual(['avc1.4d4016', 'hev1.1.6.L60.90']);
    expect(hub.init).toMatchObject({ fourcc: 'hev1', width: 320, height: 180 });
    const secondInit = viewer.calls.findIndex((call) => 'init' in call && call.init === inits[1]);
    expect(secondInit).toBeGreaterThan(0);
    expect(viewer.calls[secondInit + 1]).toEqual({ data: inits[1]?.data });
    expect(viewer.fragmentIndexes(fragments)).toEqual(range(0, fragments.length));
    expect(fragments[before]?.keyframe).toBe(true);
    // The H.265 part arrives whole.
    const afterReset = viewer.calls.slice(secondInit).flatMap((call) => ('data' in call ? [call.data] : []));
    expect(Buffer.concat(afterReset).equals(relayedPart(h265))).toBe(true);
  });

  it('follows a new init segment that arrives without reset() (FFmpeg restarted on the same pipe)', () => {
    const { hub, fragments, inits, corrupt } = recordedHub();
    const viewer = new Viewer();
    hub.subscribe(viewer);
    // The first 30 frames, ending on a box boundary, then the other stream from its ftyp.
    const boxes = new Mp4BoxSplitter().push(h264);
    feed(hub, Buffer.concat(boxes.slice(0, 2 + 2 * 30).map((box) => box.data)));
    feed(hub, h265);

    expect(corrupt).toEqual([]);
    expect(inits.map((init) => init.fourcc)).toEqual(['avc1', 'hev1']);
    expect(fragments).toHaveLength(30 + 20);
    expect(fragments[30]?.keyframe).toBe(true);
    expect(viewer.calls.filter((call) => 'init' in call)).toEqual([{ init: inits[0] }, { init: inits[1] }]);
    expect(viewer.fragmentIndexes(fragments)).toEqual(range(0, 50));
  });

  describe('corrupt input', () => {
    it('reports garbage once, never throws, and works again after reset()', () => {
      const { hub, fragments, corrupt } = recordedHub();
      const viewer = new Viewer();
      hub.subscribe(viewer);
      expect(() => hub.push(Buffer.from('this is not an mp4 stream at all'))).not.toThrow();
      expect(() => hub.push(Buffer.from('nor is this'))).not.toThrow();
      expect(corrupt).toHaveLength(1);
      expect(corrupt[0]?.message).toMatch(/^fMP4: /);
      expect(hub.init).toBeNull();

      hub.reset();
      feed(hub, h264);
      expect(corrupt).toHaveLength(1);
      expect(viewer.fragmentIndexes(fragments)).toEqual(range(0, 100));
    });

    it('reports a box that claims an absurd size, and drops the stream until the source restarts', () => {
      const { hub, fragments, corrupt } = recordedHub();
      const viewer = new Viewer();
      hub.subscribe(viewer);
      const good = relayedPart(h264);
      const boxes = new Mp4BoxSplitter().push(good);
      feed(hub, Buffer.concat(boxes.slice(0, 2 + 20).map((box) => box.data))); // init + 10 frames
      hub.push(Buffer.from('7fffffff6d646174', 'hex')); // mdat of 2 GiB
      expect(corrupt.map((error) => error.message)).toEqual([expect.stringMatching(/more than the 67108864-byte limit/)]);
      expect(hub.init).toBeNull();

      hub.reset();
      feed(hub, h265);
      expect(hub.init?.fourcc).toBe('hev1');
      expect(viewer.fragmentIndexes(fragments)).toEqual(range(0, fragments.length));
      expect(fragments.length).toBe(10 + 20);
    });

    it('reports media that comes before any init segment once, then picks up the next init', () => {
      const { hub, fragments, corrupt } = recordedHub();
      const viewer = new Viewer();
      hub.subscribe(viewer);
      const boxes = new Mp4BoxSplitter().push(relayedPart(h264));
      feed(hub, Buffer.concat(boxes.slice(2).map((box) => box.data)));
      expect(corrupt.map((error) => error.message)).toEqual(['fMP4: moof arrived before any init segment']);
      expect(fragments).toEqual([]);

      feed(hub, h264);
      expect(viewer.fragmentIndexes(fragments)).toEqual(range(0, 100));
      expect(corrupt).toHaveLength(1);
    });
  });

  describe('measurements', () => {
    it('measures delivery latency per send, over a bounded window', () => {
      const { hub, clock } = recordedHub();
      for (const viewer of [new Viewer(), new Viewer()]) {
        viewer.onSend = () => {
          clock.ms += 5; // each send takes 5 ms
        };
        hub.subscribe(viewer);
      }
      expect(hub.stats().latencyMs).toEqual({ p50: 0, p95: 0, count: 0 });
      // One box per push, so that each fragment arrives on its own.
      for (const box of new Mp4BoxSplitter().push(h264)) hub.push(box.data);
      // Per fragment: the first viewer has it 5 ms after arrival, the second 10 ms.
      expect(hub.stats().latencyMs).toEqual({ p50: 5, p95: 10, count: 200 });

      // Fragments finished by one chunk queue behind each other's sends: that wait counts too.
      hub.reset();
      feed(hub, h264);
      expect(hub.stats().latencyMs.p95).toBeGreaterThan(10);

      for (let restart = 0; restart < 10; restart += 1) {
        hub.reset();
        feed(hub, h264, restart + 2);
      }
      expect(hub.stats().latencyMs.count).toBe(2048);
    });

    it('measures the incoming byte rate over a window', () => {
      const { hub, clock } = recordedHub();
      expect(hub.bytesPerSecond()).toBe(0);
      // 1000 bytes every 100 ms: 10 kB/s.
      let at = 0;
      const step = () => {
        hub.push(h264.subarray(at, at + 1000));
        at += 1000;
        clock.ms += 100;
      };
      for (let i = 0; i < 10; i += 1) step();
      // One second old: averaged over its age, not over the 5 s window.
      expect(hub.bytesPerSecond(5000)).toBeGreaterThan(9_000);
      expect(hub.bytesPerSecond(5000)).toBeLessThan(11_000);
      for (let i = 0; i < 100; i += 1) step();
      expect(hub.bytesPerSecond(5000)).toBeGreaterThan(9_000);
      expect(hub.bytesPerSecond(5000)).toBeLessThan(11_000);
      expect(hub.bytesPerSecond(2000)).toBeGreaterThan(9_000);
      expect(hub.bytesPerSecond(2000)).toBeLessThan(11_000);
      // The source goes quiet: the rate falls to zero once the window has passed.
      clock.ms += 6_000;
      expect(hub.bytesPerSecond(5000)).toBe(0);
      expect(hub.stats().lastDataAt).toBe(clock.ms - 6_000 - 100);
    });
  });
});
