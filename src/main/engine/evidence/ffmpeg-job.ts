// One FFmpeg run of the exporter (cutting a clip, drawing boxes): progress from `-progress`,
// cancel by AbortSignal, and a failure message that carries FFmpeg's last words.
import { spawn } from 'node:child_process';
import { ExportError } from './export-error';

export interface FfmpegJob {
  ffmpegPath: string;
  /** Everything after the binary; must include `-progress pipe:1` for progress. */
  args: readonly string[];
  /** Output length in s: progress is output time over it. */
  seconds: number;
  signal?: AbortSignal;
  onFraction(fraction: number): void;
  /** The message when FFmpeg exits with an error. */
  failed(code: number | null, stderr: string): string;
}

export function runFfmpegJob(job: FfmpegJob): Promise<void> {
  const { ffmpegPath, args, seconds, signal, onFraction } = job;
  const span = Math.max(seconds, 0.001);
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new ExportError('EXPORT_CANCELLED', 'The export was cancelled.'));
    const child = spawn(ffmpegPath, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stderr = '';
    let pending = '';
    const cancel = () => child.kill('SIGKILL');
    signal?.addEventListener('abort', cancel, { once: true });
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        const micros = /^out_time_us=(\d+)/.exec(line)?.[1];
        if (micros) onFraction(Math.min(1, Number(micros) / 1e6 / span));
      }
    });
    // Only the tail is kept: the message needs FFmpeg's last words, not an hour of warnings.
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-4000)));
    child.on('error', (error) => {
      signal?.removeEventListener('abort', cancel);
      reject(new ExportError('EXPORT_FAILED', `FFmpeg at ${ffmpegPath} could not start: ${error.message}`, { cause: error }));
    });
    child.on('close', (code) => {
      signal?.removeEventListener('abort', cancel);
      if (signal?.aborted) return reject(new ExportError('EXPORT_CANCELLED', 'The export was cancelled.'));
      if (code === 0) {
        onFraction(1);
        return resolve();
      }
      reject(new ExportError('EXPORT_FAILED', job.failed(code, stderr.trim() || 'no message')));
    });
  });
}
