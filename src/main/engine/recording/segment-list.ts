// FFmpeg's segment muxer announces each segment it has closed as one CSV line on a pipe:
// `file,start,end`, times in seconds of the stream's own clock. This turns the bytes of
// that pipe into notices; the engine gives them wall-clock times when they arrive.

export interface SegmentNotice {
  /** The file name FFmpeg wrote, without its folder. */
  file: string;
  startSeconds: number;
  endSeconds: number;
}

/** One line, or null when it is not a segment entry (FFmpeg quotes names holding , " or newlines). */
export function parseSegmentLine(line: string): SegmentNotice | null {
  let file: string;
  let rest: string;
  if (line.startsWith('"')) {
    let end = 1;
    let name = '';
    for (;;) {
      const quote = line.indexOf('"', end);
      if (quote < 0) return null;
      name += line.slice(end, quote);
      if (line[quote + 1] === '"') {
        name += '"';
        end = quote + 2;
        continue;
      }
      end = quote + 1;
      break;
    }
    if (line[end] !== ',') return null;
    file = name;
    rest = line.slice(end + 1);
  } else {
    const comma = line.indexOf(',');
    if (comma < 0) return null;
    file = line.slice(0, comma);
    rest = line.slice(comma + 1);
  }
  const [start, end, extra] = rest.split(',');
  if (extra !== undefined || start === undefined || end === undefined) return null;
  const startSeconds = Number(start);
  const endSeconds = Number(end);
  if (!file || !Number.isFinite(startSeconds) || !Number.isFinite(endSeconds) || endSeconds < startSeconds) return null;
  return { file, startSeconds, endSeconds };
}

/** Cuts the pipe's chunks into lines; a line may arrive in pieces. */
export class SegmentListReader {
  private partial = '';

  push(chunk: string): { notices: SegmentNotice[]; rejected: string[] } {
    const lines = (this.partial + chunk).split(/\r?\n/);
    this.partial = lines.pop() ?? '';
    const notices: SegmentNotice[] = [];
    const rejected: string[] = [];
    for (const line of lines) {
      if (!line.trim()) continue;
      const notice = parseSegmentLine(line);
      if (notice) notices.push(notice);
      else rejected.push(line);
    }
    return { notices, rejected };
  }
}
