// Ultralytics detection models (YOLOv8, YOLO11) exported with `yolo export format=onnx`
// (without nms=True): output [batch, 4 + classes, boxes], channel-major: for each box cx, cy,
// w, h in model-input pixels, then one already-sigmoid score per class; no objectness.
// Input: RGB, 0-1, letterboxed centred, pad 114.
import type { Detection, ModelManifestEntry } from '../../../../shared/detection';
import { detectionsInSource, type LetterboxGeometry, type LetterboxSpec } from '../letterbox';
import { suppressOverlaps, type Scored } from '../nms';
import type { DecodeOptions, ModelAdapter } from './adapter';
import { checkImageInput, dimFits, formatShape, isDynamicDim, type TensorShape } from './tensor-shape';

export class UltralyticsAdapter implements ModelAdapter {
  readonly format = 'ultralytics' as const;
  readonly letterbox: LetterboxSpec;
  readonly channels: number;
  // Best class per box, reused between calls: the output is channel-major, so classes are
  // scanned one plane at a time (sequential reads) rather than box by box (strided reads).
  private bestScore = new Float32Array(0);
  private bestClass = new Uint16Array(0);

  constructor(readonly entry: ModelManifestEntry) {
    const [width, height] = entry.inputSize;
    this.letterbox = { width, height, placement: 'center', padValue: 114, channels: 'rgb', valueScale: 1 / 255 };
    this.channels = 4 + entry.labels.length;
  }

  checkShapes(input: TensorShape | undefined, output: TensorShape | undefined): string | null {
    const inputProblem = checkImageInput(input, this.letterbox);
    if (inputProblem) return inputProblem;
    if (!output) return null;
    // The number of boxes depends on the export (8400 at 640x640) and is not checked.
    if (output.length !== 3 || !dimFits(output[1], this.channels) || (!isDynamicDim(output[2]) && (output[2] as number) < 1)) {
      return `output ${formatShape(output)} is not [batch, ${this.channels}, boxes] (Ultralytics with ${this.entry.labels.length} labels, exported without NMS)`;
    }
    return null;
  }

  decode(data: Float32Array, dims: readonly number[], batchIndex: number, geometry: LetterboxGeometry, options: DecodeOptions): Detection[] {
    const boxes = dims[2] ?? 0;
    if (dims.length !== 3 || dims[1] !== this.channels || batchIndex >= (dims[0] ?? 0)) {
      throw new RangeError(`Ultralytics output [${dims.join(', ')}] does not hold frame ${batchIndex} of [batch, ${this.channels}, boxes]`);
    }
    if (this.bestScore.length < boxes) {
      this.bestScore = new Float32Array(boxes);
      this.bestClass = new Uint16Array(boxes);
    }
    const bestScore = this.bestScore;
    const bestClass = this.bestClass;
    const base = batchIndex * this.channels * boxes;
    bestScore.fill(-Infinity, 0, boxes);
    for (let c = 0; c < this.channels - 4; c++) {
      const plane = base + (4 + c) * boxes;
      for (let i = 0; i < boxes; i++) {
        const score = data[plane + i]!;
        if (score > bestScore[i]!) {
          bestScore[i] = score;
          bestClass[i] = c;
        }
      }
    }
    const candidates: Scored[] = [];
    for (let i = 0; i < boxes; i++) {
      const score = bestScore[i]!;
      if (score < options.scoreThreshold) continue;
      const cx = data[base + i]!;
      const cy = data[base + boxes + i]!;
      const halfWidth = data[base + 2 * boxes + i]! / 2;
      const halfHeight = data[base + 3 * boxes + i]! / 2;
      candidates.push({ classId: bestClass[i]!, score, box: [cx - halfWidth, cy - halfHeight, cx + halfWidth, cy + halfHeight] });
    }
    return detectionsInSource(suppressOverlaps(candidates, options.iouThreshold, options.maxDetections), this.entry.labels, geometry);
  }
}
