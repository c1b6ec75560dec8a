import { DETECT_REASONS, type DetectReason } from '../../../shared/reasons';

/**
 * A detection failure the engine can name. The inference worker sends `{ code, message }`
 * to the engine, which puts the camera in motion-only mode and shows the code's sentence;
 * the message carries the detail (file, shapes, provider) an operator or support needs.
 */
export class DetectError extends Error {
  override readonly name = 'DetectError';

  constructor(
    readonly code: DetectReason,
    message: string = DETECT_REASONS[code],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isDetectError(error: unknown): error is DetectError {
  return error instanceof DetectError;
}
