// models/manifest.json: which models Vigil can run and how to decode them. Validated in full
// at start, because a wrong label order or input size does not crash anything: it silently
// reports dogs as cars or boxes in the wrong place.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ModelManifestEntry } from '../../../shared/detection';
import { ClipModelEntrySchema, type ClipModelEntry } from '../classify/clip-model-spec';
import { DetectError } from './detect-error';

const SHA256 = /^[0-9a-f]{64}$/;

const entrySchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, ".", "_" or "-"'),
    // A bare file name: the manifest must not be able to point outside the model directories.
    file: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*\.onnx$/, 'a file name ending in .onnx, without directories'),
    format: z.enum(['yolox', 'ultralytics']),
    // Both detector families downsample by 32: other sizes leave cells the grids do not cover.
    inputSize: z.tuple([z.number().int().min(32).max(4096).multipleOf(32), z.number().int().min(32).max(4096).multipleOf(32)]),
    labels: z.array(z.string().min(1)).min(1),
    licence: z.string().min(1),
    // "" means there is no official download: the operator exports or copies the file himself.
    sourceUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/ })]),
    // "" means unknown: the file is used without verification (and models:fetch refuses it).
    sha256: z.union([z.literal(''), z.string().regex(SHA256, '64 lower-case hex digits, or "" for unknown')]),
    reportLabels: z.array(z.string().min(1)).optional(),
  })
  .superRefine((entry, ctx) => {
    const seen = new Set<string>();
    entry.labels.forEach((label, index) => {
      if (seen.has(label)) ctx.addIssue({ code: 'custom', path: ['labels', index], message: `label "${label}" appears twice` });
      seen.add(label);
    });
    entry.reportLabels?.forEach((label, index) => {
      if (!seen.has(label)) ctx.addIssue({ code: 'custom', path: ['reportLabels', index], message: `"${label}" is not one of this model's labels` });
    });
  });

const manifestSchema = z
  .strictObject({
    about: z.string().optional(),
    /** The model the engine runs when the operator has not chosen one. */
    defaultModel: z.string(),
    models: z.array(entrySchema).min(1),
    /** Clip classifiers (violence, a fall): none ship with weights; a site selects one with VIGIL_CLIP_MODEL. */
    clipModels: z.array(ClipModelEntrySchema).optional(),
  })
  .superRefine((manifest, ctx) => {
    const ids = new Set<string>();
    manifest.models.forEach((entry, index) => {
      if (ids.has(entry.id)) ctx.addIssue({ code: 'custom', path: ['models', index, 'id'], message: `model id "${entry.id}" appears twice` });
      ids.add(entry.id);
    });
    if (!ids.has(manifest.defaultModel)) ctx.addIssue({ code: 'custom', path: ['defaultModel'], message: `"${manifest.defaultModel}" is not a model in this manifest` });
    const clipIds = new Set<string>();
    manifest.clipModels?.forEach((entry, index) => {
      if (clipIds.has(entry.id)) ctx.addIssue({ code: 'custom', path: ['clipModels', index, 'id'], message: `clip model id "${entry.id}" appears twice` });
      clipIds.add(entry.id);
    });
  });

export interface ModelManifest {
  defaultModel: string;
  models: ModelManifestEntry[];
  clipModels: ClipModelEntry[];
}

// Fails to compile when the schema and the shared contract drift apart.
type Parsed = z.infer<typeof entrySchema>;
const _contractCheck: [Parsed extends ModelManifestEntry ? true : never, ModelManifestEntry extends Parsed ? true : never] = [true, true];

/** Validates parsed JSON; `source` names the file in the error message. */
export function parseManifest(json: unknown, source = 'models/manifest.json'): ModelManifest {
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    throw new DetectError('MODEL_MANIFEST_INVALID', `${source} is not valid:\n${z.prettifyError(result.error)}`);
  }
  return { defaultModel: result.data.defaultModel, models: result.data.models, clipModels: result.data.clipModels ?? [] };
}

export async function loadManifest(file: string): Promise<ModelManifest> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DetectError('MODEL_MANIFEST_INVALID', `${file} cannot be read: ${(error as Error).message}`, { cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new DetectError('MODEL_MANIFEST_INVALID', `${file} is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  return parseManifest(json, file);
}

/** The entry with this id, or the manifest's default model when id is omitted. */
export function manifestEntry(manifest: ModelManifest, id: string = manifest.defaultModel): ModelManifestEntry {
  const entry = manifest.models.find((model) => model.id === id);
  if (!entry) throw new DetectError('MODEL_MISSING', `No model "${id}" in models/manifest.json (known: ${manifest.models.map((model) => model.id).join(', ')}).`);
  return entry;
}

/** The clip model with this id; CLIP_MODEL_MISSING naming the known ones when there is none. */
export function clipModelEntry(manifest: ModelManifest, id: string): ClipModelEntry {
  const entry = manifest.clipModels.find((model) => model.id === id);
  if (!entry) {
    const known = manifest.clipModels.map((model) => model.id).join(', ') || 'none';
    throw new DetectError('CLIP_MODEL_MISSING', `No clip model "${id}" in models/manifest.json (clip models: ${known}).`);
  }
  return entry;
}
