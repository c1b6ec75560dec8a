// YOLOX as exported by its own tools/export_onnx.py (without --decode_in_inference): output
// [batch, cells, 5 + classes], one row per anchor-free cell of the stride-8, 16 and 32 grids,
// holding cx, cy (offsets within the cell), log w, log h (in cells), objectness and class
// probabilities (both already sigmoid). Input: BGR, 0-255, letterboxed top-left, pad 114.
import type { Detection, ModelManifestEntry } from '../../../../shared/detection';
import { detectionsInSource, type LetterboxGeometry, type LetterboxSpec } from '../letterbox';
import { suppressOverlaps, type Scored } from '../nms';
import type { DecodeOptions, ModelAdapter } from './adapter';
import { cellCount, checkImageInput, dimFits, formatShape, type TensorShape } from './tensor-shape';

const STRIDES = [8, 16, 32] as const;

export class YoloxAdapter implements ModelAdapter {
  readonly format = 'yolox' as const;
  readonly letterbox: LetterboxSpec;
  readonly cells: number;
  readonly rowLength: number;
  /** Per cell: grid x, grid y, stride; precomputed once, the decode loop only reads it. */
  private readonly grid: Float32Array;

  constructor(readonly entry: ModelManifestEntry) {
    const [width, height] = entry.inputSize;
    this.letterbox = { width, height, placement: 'top-left', padValue: 114, channels: 'bgr', valueScale: 1 };
    this.cells = cellCount(width, height, STRIDES);
    this.rowLength = 5 + entry.labels.length;
    this.grid = new Float32Array(this.cells * 3);
    let cell = 0;
    // Same order as YOLOX's meshgrid: stride by stride, then row by row, then column.
    for (const stride of STRIDES) {
      const columns = Math.floor(width / stride);
      const rows = Math.floor(height / stride);
      for (let y = 0; y < rows; y++) {
        for (let x = 0; x < columns; x++, cell++) {
          this.grid[cell * 3] = x;
          this.grid[cell * 3 + 1] = y;
          this.grid[cell * 3 + 2] = stride;
        }
      }
    }
  }

  checkShapes(input: TensorShape | undefined, output: TensorShape | undefined): string | null {
    const inputProblem = checkImageInput(input, this.letterbox);
    if (inputProblem) return inputProblem;
    if (!output) return null;
    if (output.length !== 3 || !dimFits(output[1], this.cells) || !dimFits(output[2], this.rowLength)) {
      return `output ${formatShape(output)} is not [batch, ${this.cells}, ${this.rowLength}] (YOLOX at ${this.letterbox.width}x${this.letterbox.height} with ${this.entry.labels.length} labels)`;
    }
    return null;
  }

  decode(data: Float32Array, dims: readonly number[], batchIndex: number, geometry: LetterboxGeometry, options: DecodeOptions): Detection[] {
    if (dims.length !== 3 || dims[1] !== this.cells || dims[2] !== this.rowLength || batchIndex >= (dims[0] ?? 0)) {
      throw new RangeError(`YOLOX output [${dims.join(', ')}] does not hold frame ${batchIndex} of [batch, ${this.cells}, ${this.rowLength}]`);
    }
    const { scoreThreshold } = options;
    const classes = this.rowLength - 5;
    const base = batchIndex * this.cells * this.rowLength;
    const candidates: Scored[] = [];
    for (let cell = 0; cell < this.cells; cell++) {
      const row = base + cell * this.rowLength;
      const objectness = data[row + 4]!;
      // score = objectness * class probability <= objectness: most cells end here.
      if (objectness < scoreThreshold) continue;
      let classId = 0;
      let best = data[row + 5]!;
      for (let c = 1; c < classes; c++) {
        const probability = data[row + 5 + c]!;
        if (probability > best) {
          best = probability;
          classId = c;
        }
      }
      const score = objectness * best;
      if (score < scoreThreshold) continue;
      const stride = this.grid[cell * 3 + 2]!;
      const cx = (data[row]! + this.grid[cell * 3]!) * stride;
      const cy = (data[row + 1]! + this.grid[cell * 3 + 1]!) * stride;
      const halfWidth = (Math.exp(data[row + 2]!) * stride) / 2;
      const halfHeight = (Math.exp(data[row + 3]!) * stride) / 2;
      candidates.push({ classId, score, box: [cx - halfWidth, cy - halfHeight, cx + halfWidth, cy + halfHeight] });
    }
    return detectionsInSource(suppressOverlaps(candidates, options.iouThreshold, options.maxDetections), this.entry.labels, geometry);
  }
}
