// The real model on real pictures: yolox_nano.onnx through onnxruntime-node, frames decoded
// by the real FFmpeg, compared with reference detections (golden.json) made by an
// independent pipeline. This is the test that catches a wrong channel order, letterbox or
// grid: such bugs crash nothing, they only make the boxes wrong.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Detection } from '../../src/shared/detection';
import { Detector } from '../../src/main/engine/inference/detector';
import { loadManifest, manifestEntry } from '../../src/main/engine/inference/manifest';
import { locateModel, modelSearchPath } from '../../src/main/engine/inference/model-path';
import { iou } from '../../src/main/engine/inference/nms';
import type { RawFrame } from '../../src/main/engine/inference/raw-frame';

interface GoldenObject {
  label: string;
  score: number;
  box: [number, number, number, number];
}

/** Test material comes from the environment (npm test sets both); a missing one is a failure, not a skip. */
function materialDir(variable: 'VIGIL_MODEL_PATH' | 'VIGIL_TEST_MEDIA', what: string): string {
  const value = process.env[variable];
  if (!value) throw new Error(`${variable} is not set: point it at ${what} (npm test sets it to ../shared/${variable === 'VIGIL_MODEL_PATH' ? 'models' : 'media'}).`);
  return value;
}

function probeSize(file: string): { width: number; height: number } {
  const text = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'csv=p=0', file], { encoding: 'utf8' });
  const [width, height] = text.trim().split(',').map(Number);
  if (!width || !height) throw new Error(`ffprobe found no picture size in ${file}: "${text}"`);
  return { width, height };
}

/** Decodes one picture with the real FFmpeg, as the detect output of a camera would. */
function decodeFrame(file: string, options: { at?: number; width?: number; height?: number } = {}): RawFrame {
  const size = options.width && options.height ? { width: options.width, height: options.height } : probeSize(file);
  const args = ['-v', 'error', ...(options.at !== undefined ? ['-ss', String(options.at)] : []), '-i', file, '-frames:v', '1'];
  if (options.width && options.height) args.push('-s', `${options.width}x${options.height}`);
  const data = execFileSync('ffmpeg', [...args, '-f', 'rawvideo', '-pix_fmt', 'bgr24', '-'], { maxBuffer: 64 * 1024 * 1024 });
  expect(data.length).toBe(size.width * size.height * 3);
  return { ...size, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

let media: string;
let detector: Detector;
const logs: string[] = [];

beforeAll(async () => {
  const modelPath = materialDir('VIGIL_MODEL_PATH', 'the directory holding yolox_nano.onnx');
  media = materialDir('VIGIL_TEST_MEDIA', 'the directory holding golden.json and vtest.avi');
  const manifest = await loadManifest(resolve(__dirname, '../../models/manifest.json'));
  const entry = manifestEntry(manifest, 'yolox-nano');
  const model = await locateModel(entry, modelSearchPath({ modelPath }));
  expect(model.verified).toBe(true);
  detector = await Detector.load({ entry, file: model.file, providers: ['cpu'], threads: 2, log: (line) => logs.push(line) });
});

afterAll(async () => {
  await detector?.close();
});

describe('yolox-nano on the golden images', () => {
  it('loads on the CPU provider and says so', () => {
    expect(detector.provider).toBe('cpu');
    expect(detector.maxBatch).toBe(1);
    expect(logs.join('\n')).toMatch(/detector yolox-nano \(yolox\) on cpu; input images \[1, 3, 416, 416\], output output \[1, 3549, 85\]/);
  });

  it('finds every golden object: same label, IoU >= 0.8, score within 0.05', async () => {
    const golden = JSON.parse(readFileSync(join(media, 'golden.json'), 'utf8')) as { images: Record<string, GoldenObject[]> };
    const images = Object.entries(golden.images);
    expect(images.length).toBeGreaterThanOrEqual(3);
    for (const [image, expected] of images) {
      const file = join(media, image);
      expect(existsSync(file), file).toBe(true);
      const frame = decodeFrame(file);
      const [found] = await detector.detect([frame]);
      for (const object of expected) {
        const best = found!
          .filter((detection) => detection.label === object.label)
          .map((detection) => ({ detection, overlap: iou(detection.box, object.box) }))
          .sort((a, b) => b.overlap - a.overlap)[0];
        const context = `${image}: ${object.label} ${object.score} [${object.box.join(', ')}] among ${listing(found!)}`;
        expect(best?.overlap ?? 0, context).toBeGreaterThanOrEqual(0.8);
        expect(Math.abs(best!.detection.score - object.score), context).toBeLessThanOrEqual(0.05);
      }
    }
  });

  it('gives the same detections for the same picture delivered as RGB24 (as PPM pipes do)', async () => {
    const bgr = decodeFrame(join(media, 'images/dog.jpg'));
    const rgb = new Uint8Array(bgr.data);
    for (let i = 0; i < rgb.length; i += 3) [rgb[i], rgb[i + 2]] = [rgb[i + 2]!, rgb[i]!];
    const [fromBgr, fromRgb] = await detector.detect([bgr, { ...bgr, data: rgb, pixelFormat: 'rgb24' }]);
    expect(fromBgr!.length).toBeGreaterThanOrEqual(3);
    expect(fromRgb).toEqual(fromBgr);
  });

  it('finds pedestrians in the CCTV clip (vtest.avi at 768x576), with boxes inside the frame', async () => {
    const clip = join(media, 'vtest.avi');
    for (const at of [5, 20, 40]) {
      const frame = decodeFrame(clip, { at, width: 768, height: 576 });
      const [found] = await detector.detect([frame]);
      const people = found!.filter((detection) => detection.label === 'person');
      expect(people.length, `t=${at}s: ${listing(found!)}`).toBeGreaterThanOrEqual(2);
      for (const { box, score } of people) {
        expect(score).toBeGreaterThanOrEqual(0.35);
        expect(box[0]).toBeGreaterThanOrEqual(0);
        expect(box[1]).toBeGreaterThanOrEqual(0);
        expect(box[2]).toBeLessThanOrEqual(768);
        expect(box[3]).toBeLessThanOrEqual(576);
        const width = box[2] - box[0];
        const height = box[3] - box[1];
        // Pedestrians seen from a raised camera: upright, and well under the frame's size.
        expect(height, `t=${at}s person [${box.join(', ')}]`).toBeGreaterThan(width);
        expect(height).toBeGreaterThan(20);
        expect(height).toBeLessThan(576 * 0.8);
      }
    }
  });
});

function listing(found: Detection[]): string {
  return found.map((d) => `${d.label} ${d.score.toFixed(2)} [${d.box.map((v) => Math.round(v)).join(', ')}]`).join('; ') || 'nothing';
}
