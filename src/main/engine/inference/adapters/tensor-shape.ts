// Tensor shapes as onnxruntime reports them in session metadata: a number for a fixed
// dimension, a name (or -1) for a dynamic one, such as a batch size chosen at run time.
export type TensorShape = readonly (number | string)[];

export function isDynamicDim(dim: number | string | undefined): boolean {
  return typeof dim !== 'number' || dim <= 0;
}

/** True when `dim` is dynamic or equals `expected`. */
export function dimFits(dim: number | string | undefined, expected: number): boolean {
  return isDynamicDim(dim) || dim === expected;
}

export function formatShape(shape: TensorShape | undefined): string {
  if (!shape) return '[unknown]';
  return `[${shape.map((dim) => (typeof dim === 'number' && dim > 0 ? String(dim) : typeof dim === 'string' && dim ? dim : '?')).join(', ')}]`;
}

/** The NCHW image input both families share: [batch, 3, height, width]. */
export function checkImageInput(input: TensorShape | undefined, spec: { width: number; height: number }): string | null {
  if (!input) return null;
  const expected = `[batch, 3, ${spec.height}, ${spec.width}]`;
  if (input.length !== 4 || !dimFits(input[1], 3) || !dimFits(input[2], spec.height) || !dimFits(input[3], spec.width)) {
    return `input ${formatShape(input)} is not ${expected}`;
  }
  return null;
}

/** Anchor-free cells a model with strides 8, 16 and 32 predicts for this input size. */
export function cellCount(width: number, height: number, strides: readonly number[] = [8, 16, 32]): number {
  return strides.reduce((sum, stride) => sum + Math.floor(width / stride) * Math.floor(height / stride), 0);
}
