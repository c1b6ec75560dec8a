// A clip classifier's entry in models/manifest.json (`clipModels`): everything needed to turn
// a few seconds of pictures into the tensor one particular video model was trained on, and
// its output back into a score per label. Clip models differ in exactly these points (a
// Keras VGG19 + Bi-LSTM export wants [1, 16, 224, 224, 3] of RGB / 255; a PyTorch 3D CNN wants
// [1, 3, 16, 112, 112] with ImageNet mean and std), and getting one wrong crashes nothing: it
// silently scores every fight as calm. So each point is stated, and checked.
import { z } from 'zod';

/**
 * Where frames, channels, rows and columns sit in the input tensor (N is the batch of 1):
 * NTHWC for Keras TimeDistributed models, NTCHW for per-frame CNN + RNN models exported from
 * PyTorch, NCTHW for 3D CNNs (C3D, I3D, X3D).
 */
export const CLIP_LAYOUTS = ['NTHWC', 'NTCHW', 'NCTHW'] as const;
export type ClipLayout = (typeof CLIP_LAYOUTS)[number];

const SHA256 = /^[0-9a-f]{64}$/;
const side = z.number().int().min(16).max(1024);
const perChannel = z.tuple([z.number(), z.number(), z.number()]);

export const ClipModelEntrySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"'),
    // A bare file name: the manifest must not be able to point outside the model directories.
    file: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.onnx$/, 'a file name ending in .onnx, without directories'),
    /** Pictures per clip, the model's T dimension (16 or 20 for the VGG19 + Bi-LSTM models). */
    framesPerClip: z.number().int().min(2).max(128),
    inputLayout: z.enum(CLIP_LAYOUTS),
    /** [width, height] of each picture in the input. */
    inputSize: z.tuple([side, side]),
    /** The order of the three colour channels the model expects. */
    channelOrder: z.enum(['RGB', 'BGR']),
    /**
     * value = (pixel / divideBy - mean[c]) / std[c], with mean and std in the model's channel
     * order: { 255, [0,0,0], [1,1,1] } for Keras' x / 255; ImageNet statistics for torchvision;
     * { 1, [103.939, 116.779, 123.68], [1,1,1] } with BGR for Caffe-style VGG preprocessing.
     */
    normalization: z.strictObject({
      divideBy: z.number().positive(),
      mean: perChannel,
      std: z.tuple([z.number().positive(), z.number().positive(), z.number().positive()]),
    }),
    /** Output classes in output order. */
    labels: z.array(z.string().trim().min(1).max(40)).min(1).max(64),
    /** The label whose score means "raise the alarm" (eval:clips measures this one). */
    positiveLabel: z.string().min(1),
    /**
     * 'probabilities': the outputs are used as they are (a softmax layer, or one sigmoid unit
     * with a single label); 'logits': softmax is applied over the labels (sigmoid for one).
     */
    output: z.enum(['probabilities', 'logits']),
    /**
     * Pictures a second taken into a clip, close to the rate the model was trained at:
     * 16 frames at 4 a second cover 4 s. Live cameras sample from their analysed pictures,
     * so a camera's detect fps caps it.
     */
    sampleFps: z.number().min(0.5).max(30),
    licence: z.string().min(1),
    // "" means there is no official download: the site exports or copies the file itself.
    sourceUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
    // "" means unknown: the file is used without verification.
    sha256: z.union([z.literal(''), z.string().regex(SHA256, '64 lower-case hex digits, or "" for unknown')]),
  })
  .superRefine((entry, ctx) => {
    const seen = new Set<string>();
    entry.labels.forEach((label, index) => {
      if (seen.has(label)) ctx.addIssue({ code: 'custom', path: ['labels', index], message: `label "${label}" appears twice` });
      seen.add(label);
    });
    if (!seen.has(entry.positiveLabel)) ctx.addIssue({ code: 'custom', path: ['positiveLabel'], message: `"${entry.positiveLabel}" is not one of this model's labels` });
  });

export type ClipModelEntry = z.infer<typeof ClipModelEntrySchema>;

/** The input tensor's dimensions for one clip (batch 1) in the entry's layout. */
export function clipInputDims(entry: Pick<ClipModelEntry, 'inputLayout' | 'framesPerClip' | 'inputSize'>): [number, number, number, number, number] {
  const [width, height] = entry.inputSize;
  const frames = entry.framesPerClip;
  switch (entry.inputLayout) {
    case 'NTHWC':
      return [1, frames, height, width, 3];
    case 'NTCHW':
      return [1, frames, 3, height, width];
    case 'NCTHW':
      return [1, 3, frames, height, width];
  }
}

/** Human-readable form of the expected input, for error messages: "[batch, 16, 224, 224, 3] (NTHWC)". */
export function describeClipInput(entry: Pick<ClipModelEntry, 'inputLayout' | 'framesPerClip' | 'inputSize'>): string {
  const [, ...rest] = clipInputDims(entry);
  return `[batch, ${rest.join(', ')}] (${entry.inputLayout})`;
}

/**
 * Folder names and labels compared loosely: "NonViolence" (the RLVS dataset's folder) is the
 * label "non-violence", "Violence" is "violence".
 */
export function labelKey(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]/g, '');
}
