import type { ReasonCode } from '../../shared/reasons';
import { describeReason } from '../../shared/reasons';

/** An error the engine expects and can name: the API turns it into `{ error: { code, message } }`. */
export class EngineError extends Error {
  constructor(
    readonly code: ReasonCode,
    message: string = describeReason(code),
    readonly status: number = 400,
    readonly issues?: { path: string; code: string; message: string }[],
  ) {
    super(message);
  }
}
