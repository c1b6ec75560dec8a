// HTTP Range requests for recorded segments (RFC 9110, section 14). A <video> element seeks by
// asking for byte ranges, so every segment must answer them; one range per request is all a
// player asks for, and multipart answers are not worth their complexity here.

/** First and last byte, both included. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * What a Range header asks of a file of `size` bytes: `null` to send the whole file (no
 * header, another unit, or several ranges: the RFC lets a server ignore those), a range, or
 * 'unsatisfiable' (answered 416: starts past the end, or is malformed).
 */
export function parseByteRange(header: string | undefined, size: number): ByteRange | 'unsatisfiable' | null {
  if (header === undefined) return null;
  const match = /^\s*bytes\s*=\s*(.*)$/i.exec(header);
  if (!match) return null;
  const spec = match[1]!.trim();
  if (spec.includes(',')) return null;
  const parts = /^(\d*)\s*-\s*(\d*)$/.exec(spec);
  if (!parts || (parts[1] === '' && parts[2] === '')) return 'unsatisfiable';
  const [, first, last] = parts as unknown as [string, string, string];
  if (first === '') {
    // "-N": the last N bytes.
    const length = Number(last);
    if (length === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - length), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (!Number.isSafeInteger(start) || start >= size || (last !== '' && Number(last) < start)) return 'unsatisfiable';
  return { start, end };
}
