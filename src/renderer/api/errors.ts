import type { ApiErrorBody } from '../../shared/api';
import { describeReason } from '../../shared/reasons';

export type ApiIssue = NonNullable<ApiErrorBody['error']['issues']>[number];

/**
 * Every failed API call. `code` is a reason code from src/shared/reasons.ts, or one of the
 * client-side codes below when the engine could not be reached at all.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 0,
    readonly issues: ApiIssue[] = [],
  ) {
    super(message);
  }
}

/** Client-side codes (not in the engine's contract): the request never got an engine answer. */
export const CLIENT_CODES = {
  ENGINE_UNREACHABLE: 'The engine did not answer: it may have stopped or restarted.',
  BAD_RESPONSE: 'The engine sent a response this page cannot read.',
} as const;

export function describeCode(code: string): string {
  return (CLIENT_CODES as Record<string, string>)[code] ?? describeReason(code);
}

/** Turns an error response body (or anything else) into an ApiError. */
export function toApiError(status: number, body: unknown, fallbackMessage: string): ApiError {
  if (body && typeof body === 'object' && 'error' in body) {
    const err = (body as { error: unknown }).error;
    if (err && typeof err === 'object' && typeof (err as { code?: unknown }).code === 'string') {
      const e = err as { code: string; message?: unknown; issues?: unknown };
      const issues = Array.isArray(e.issues) ? e.issues.map(normalizeIssue).filter((i): i is ApiIssue => i !== null) : [];
      return new ApiError(e.code, typeof e.message === 'string' ? e.message : describeCode(e.code), status, issues);
    }
  }
  return new ApiError(status >= 500 ? 'INTERNAL' : 'BAD_RESPONSE', fallbackMessage, status);
}

function normalizeIssue(raw: unknown): ApiIssue | null {
  if (!raw || typeof raw !== 'object') return null;
  const r = raw as { path?: unknown; code?: unknown; message?: unknown };
  const path = Array.isArray(r.path) ? r.path.join('.') : typeof r.path === 'string' ? r.path : '';
  const code = typeof r.code === 'string' ? r.code : 'VALIDATION_FAILED';
  const message = typeof r.message === 'string' ? r.message : describeCode(code);
  return { path, code, message };
}
