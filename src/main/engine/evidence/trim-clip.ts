// One camera's clip: FFmpeg joins the segments (concat demuxer) and trims them to the range
// by stream copy, so the exported pictures are the recorded bytes, never a re-encoding.
//
// Stream copy can only start on a keyframe, and cameras send one every 1-4 s. With -ss as
// an input option and -c copy, FFmpeg starts at the keyframe before the seek point, gives
// the packets before it negative timestamps and marks them discardable, and the MP4 muxer
// writes an edit list that starts presentation exactly at the seek point. Players (and
// ffprobe) show the clip from `from` to `to` to the frame, while the decoder still gets the
// keyframe it needs. The alternative, re-encoding the first GOP, would splice a second
// encoder's pictures into evidence and needs matching codec parameters to play at all.
import { spawn } from 'node:child_process';
import { ExportError } from './export-error';

export interface TrimRequest {
  ffmpegPath: string;
  /** A file holding the footage plan's ffconcat text. */
  listFile: string;
  seekS: number;
  untilS: number;
  outFile: string;
  /** For messages: which camera failed. */
  cameraName: string;
  signal?: AbortSignal;
  /** 0-1 through the clip, as FFmpeg reports its output time. */
  onFraction: (fraction: number) => void;
}

export function trimClip(request: TrimRequest): Promise<void> {
  const { ffmpegPath, listFile, seekS, untilS, outFile, cameraName, signal, onFraction } = request;
  const args = [
    '-hide_banner', '-nostdin', '-nostats', '-loglevel', 'error', '-progress', 'pipe:1',
    '-ss', seekS.toFixed(3), '-to', untilS.toFixed(3),
    '-f', 'concat', '-safe', '0', '-i', listFile,
    // Video and any audio; data and subtitle tracks from cameras do not fit MP4 and are not evidence.
    '-map', '0:v', '-map', '0:a?', '-c', 'copy',
    '-movflags', '+faststart', '-f', 'mp4', '-y', outFile,
  ];
  const span = Math.max(untilS - seekS, 0.001);
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
      reject(new ExportError('EXPORT_FAILED', `FFmpeg could not cut the clip of ${cameraName} (exit ${code}): ${stderr.trim() || 'no message'}`));
    });
  });
}
