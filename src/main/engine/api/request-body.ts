// Request bodies: size-capped, JSON only, validated against the shared zod schemas. Every
// rejection carries a reason code per field so the UI can show it next to that field.
import type { IncomingMessage } from 'node:http';
import type { z } from 'zod';
import { describeReason } from '../../../shared/reasons';
import { EngineError } from '../engine-error';

const MAX_BODY_BYTES = 64 * 1024;

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new EngineError('UNSUPPORTED_MEDIA_TYPE', undefined, 415);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new EngineError('PAYLOAD_TOO_LARGE', `The request body is over ${MAX_BODY_BYTES / 1024} KiB.`, 413);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch (error) {
    throw new EngineError('BAD_JSON', `The request body is not valid JSON: ${(error as Error).message}`, 400);
  }
}

export function validate<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(body)';
    if (issue.code === 'unrecognized_keys') {
      return { path, code: 'UNKNOWN_FIELD', message: `Unknown field(s): ${issue.keys.join(', ')}` };
    }
    if (issue.code === 'custom' && /^[A-Z_]+$/.test(issue.message)) {
      return { path, code: issue.message, message: describeReason(issue.message) };
    }
    if ((issue.code === 'too_big' || issue.code === 'too_small') && /transcodeSize/.test(path)) {
      return { path, code: 'RESOLUTION_OUT_OF_RANGE', message: issue.message };
    }
    return { path, code: 'VALIDATION_FAILED', message: issue.message };
  });
  const first = issues[0]!;
  const code = issues.every((issue) => issue.code === first.code) && first.code !== 'VALIDATION_FAILED' ? first.code : 'VALIDATION_FAILED';
  throw new EngineError(code as EngineError['code'], issues.map((issue) => `${issue.path}: ${issue.message}`).join('; '), 400, issues);
}
