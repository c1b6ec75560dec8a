// Why an export did not happen, as a code the UI and the CLI can act on and a message a
// person can read. Whatever the code, no export folder was left behind.
export type ExportErrorCode =
  /** `to` is not after `from`, or either is not a time. */
  | 'EXPORT_BAD_RANGE'
  /** No recording segment of any chosen camera overlaps the range. */
  | 'EXPORT_NO_FOOTAGE'
  /** The destination folder already exists: an export never overwrites another. */
  | 'EXPORT_EXISTS'
  /** A segment or snapshot listed as input is not on disk (retention may have removed it). */
  | 'EXPORT_SOURCE_MISSING'
  | 'EXPORT_CANCELLED'
  /** FFmpeg or the file system failed; the message says which and how. */
  | 'EXPORT_FAILED';

export class ExportError extends Error {
  constructor(
    readonly code: ExportErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ExportError';
  }
}
