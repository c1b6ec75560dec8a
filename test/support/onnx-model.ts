// Builds tiny ONNX models in memory, so tests can feed onnxruntime models of any shape
// without Python or the onnx package. An ONNX file is a protobuf ModelProto; the few
// messages needed are encoded by hand below (field numbers from onnx/onnx.proto3).

/** Protobuf wire format: varints and length-delimited fields are all a model needs. */
class ProtoWriter {
  private readonly bytes: number[] = [];

  private varint(value: number): void {
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`varint ${value} is not a non-negative safe integer`);
    while (value >= 0x80) {
      this.bytes.push((value % 0x80) | 0x80);
      value = Math.floor(value / 0x80);
    }
    this.bytes.push(value);
  }

  private key(field: number, wireType: 0 | 2): void {
    this.varint(field * 8 + wireType);
  }

  int(field: number, value: number): this {
    this.key(field, 0);
    this.varint(value);
    return this;
  }

  raw(field: number, data: Uint8Array): this {
    this.key(field, 2);
    this.varint(data.length);
    for (const byte of data) this.bytes.push(byte);
    return this;
  }

  string(field: number, text: string): this {
    return this.raw(field, new TextEncoder().encode(text));
  }

  message(field: number, inner: ProtoWriter): this {
    return this.raw(field, inner.finish());
  }

  /** Packed repeated int64 (non-negative values only). */
  ints(field: number, values: readonly number[]): this {
    const inner = new ProtoWriter();
    for (const value of values) inner.varint(value);
    return this.raw(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

const FLOAT = 1;
const INT64 = 7;
const ATTRIBUTE_INT = 2;
const ATTRIBUTE_TENSOR = 4;
const ATTRIBUTE_INTS = 7;

/** A tensor's dims: a number is fixed, a string names a dynamic dimension (e.g. 'batch'). */
export type Shape = readonly (number | string)[];

export interface ValueInfo {
  name: string;
  shape: Shape;
}

export interface ConstantTensor {
  dims: readonly number[];
  /** float32 data, or int64 data when given as a BigInt64Array. */
  data: Float32Array | BigInt64Array;
}

export interface NodeSpec {
  op: string;
  inputs: readonly string[];
  outputs: readonly string[];
  attributes?: Record<string, number | readonly number[] | ConstantTensor>;
}

export interface ModelSpec {
  inputs: readonly ValueInfo[];
  outputs: readonly ValueInfo[];
  nodes: readonly NodeSpec[];
  initializers?: Record<string, ConstantTensor>;
  opset?: number;
}

function tensorProto(name: string, tensor: ConstantTensor): ProtoWriter {
  const proto = new ProtoWriter();
  proto.ints(1, tensor.dims).int(2, tensor.data instanceof BigInt64Array ? INT64 : FLOAT);
  if (name) proto.string(8, name);
  // raw_data is little-endian, as typed arrays are on every platform Node runs on.
  return proto.raw(9, new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength));
}

function valueInfo(info: ValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const dim of info.shape) shape.message(1, typeof dim === 'number' ? new ProtoWriter().int(1, dim) : new ProtoWriter().string(2, dim));
  const tensorType = new ProtoWriter().int(1, FLOAT).message(2, shape);
  return new ProtoWriter().string(1, info.name).message(2, new ProtoWriter().message(1, tensorType));
}

function attribute(name: string, value: number | readonly number[] | ConstantTensor): ProtoWriter {
  const proto = new ProtoWriter().string(1, name);
  if (typeof value === 'number') return proto.int(3, value).int(20, ATTRIBUTE_INT);
  if (Array.isArray(value)) return proto.ints(8, value as readonly number[]).int(20, ATTRIBUTE_INTS);
  return proto.message(5, tensorProto('', value as ConstantTensor)).int(20, ATTRIBUTE_TENSOR);
}

/** Encodes a ModelProto (IR version 8) holding one graph. */
export function onnxModel(spec: ModelSpec): Uint8Array {
  const graph = new ProtoWriter();
  spec.nodes.forEach((node, index) => {
    const proto = new ProtoWriter();
    for (const input of node.inputs) proto.string(1, input);
    for (const output of node.outputs) proto.string(2, output);
    proto.string(3, `${node.op.toLowerCase()}_${index}`).string(4, node.op);
    for (const [name, value] of Object.entries(node.attributes ?? {})) proto.message(5, attribute(name, value));
    graph.message(1, proto);
  });
  graph.string(2, 'vigil_test');
  for (const [name, tensor] of Object.entries(spec.initializers ?? {})) graph.message(5, tensorProto(name, tensor));
  for (const input of spec.inputs) graph.message(11, valueInfo(input));
  for (const output of spec.outputs) graph.message(12, valueInfo(output));
  return new ProtoWriter()
    .int(1, 8)
    .string(2, 'vigil-test')
    .message(7, graph)
    .message(8, new ProtoWriter().string(1, '').int(2, spec.opset ?? 13))
    .finish();
}

/** A model that ignores its image input and always outputs `value`. */
export function constantModel(input: ValueInfo, output: { name: string; value: ConstantTensor }): Uint8Array {
  return onnxModel({
    inputs: [input],
    outputs: [{ name: output.name, shape: output.value.dims }],
    nodes: [{ op: 'Constant', inputs: [], outputs: [output.name], attributes: { value: output.value } }],
  });
}

/**
 * A model whose output is `value` ([1, ...rest]) repeated once per input image: the batch
 * dimension follows the input (zero times the image mean, reshaped, plus the constant), so
 * batched runs can be tested.
 */
export function batchedConstantModel(input: ValueInfo, output: { name: string; value: ConstantTensor }): Uint8Array {
  const rest = output.value.dims.slice(1);
  return onnxModel({
    inputs: [input],
    outputs: [{ name: output.name, shape: [input.shape[0] ?? 'batch', ...rest] }],
    initializers: {
      zero: { dims: [], data: new Float32Array([0]) },
      perImage: { dims: [1 + rest.length], data: BigInt64Array.from([-1n, ...rest.map(() => 1n)]) },
      value: output.value,
    },
    nodes: [
      { op: 'ReduceMean', inputs: [input.name], outputs: ['mean'], attributes: { axes: [1, 2, 3], keepdims: 1 } },
      { op: 'Mul', inputs: ['mean', 'zero'], outputs: ['nothing'] },
      { op: 'Reshape', inputs: ['nothing', 'perImage'], outputs: ['perImageZero'] },
      { op: 'Add', inputs: ['perImageZero', 'value'], outputs: [output.name] },
    ],
  });
}
