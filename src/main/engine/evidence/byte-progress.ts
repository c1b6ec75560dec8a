// How far an export is, for the progress bar: bytes processed over bytes to process.

/**
 * Progress by bytes: segment bytes as FFmpeg gets through them, snapshot bytes as copied,
 * then every written byte as it is hashed. The hashing total is known only once the files
 * exist, so it is added then; the reported fraction never goes backwards.
 */
export class ByteProgress {
  done = 0;
  private total: number;
  private reported = 0;

  constructor(
    private readonly inputBytes: number,
    private readonly report: ((fraction: number) => void) | undefined,
    /** Work of drawing boxes, counted as bytes (BURN_IN_WEIGHT per segment byte). */
    private readonly burnInBytes = 0,
  ) {
    // Until the outputs exist, assume they are as large as the inputs (stream copy).
    this.total = Math.max(1, inputBytes * 2 + burnInBytes);
  }

  add(bytes: number): void {
    this.set(this.done + bytes);
  }

  set(done: number): void {
    this.done = done;
    this.emit(Math.min(0.99, this.done / this.total));
  }

  addToTotal(outputBytes: number): void {
    this.total = Math.max(1, this.inputBytes + this.burnInBytes + outputBytes);
  }

  finish(): void {
    this.emit(1);
  }

  private emit(fraction: number): void {
    // A callback per 1 MiB chunk of a 4 GB export would flood the UI: whole steps of 0.5 %.
    if (fraction < 1 && fraction - this.reported < 0.005) return;
    this.reported = fraction;
    this.report?.(fraction);
  }
}
