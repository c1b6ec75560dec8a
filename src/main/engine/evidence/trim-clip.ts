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
import { runFfmpegJob } from './ffmpeg-job';

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
  return runFfmpegJob({
    ffmpegPath,
    args,
    seconds: untilS - seekS,
    signal,
    onFraction,
    failed: (code, stderr) => `FFmpeg could not cut the clip of ${cameraName} (exit ${code}): ${stderr}`,
  });
}
