import { describe, expect, it } from 'vitest';
import { parseSegmentLine, SegmentListReader } from '../../../src/main/engine/recording/segment-list';

describe('parseSegmentLine', () => {
  it('reads FFmpeg csv entries', () => {
    expect(parseSegmentLine('2026-01-02T03-04-05Z.mp4,10.000000,20.040000')).toEqual({ file: '2026-01-02T03-04-05Z.mp4', startSeconds: 10, endSeconds: 20.04 });
  });

  it('reads quoted names with doubled quotes and commas', () => {
    expect(parseSegmentLine('"a,""b"".mp4",0.5,1.5')).toEqual({ file: 'a,"b".mp4', startSeconds: 0.5, endSeconds: 1.5 });
  });

  it('rejects what is not an entry', () => {
    for (const line of ['', 'x.mp4', 'x.mp4,1', 'x.mp4,a,b', 'x.mp4,2,1', ',1,2', '"x.mp4,1,2', 'x.mp4,1,2,3']) expect(parseSegmentLine(line)).toBeNull();
  });
});

describe('SegmentListReader', () => {
  it('joins lines split across chunks and reports unreadable ones', () => {
    const reader = new SegmentListReader();
    expect(reader.push('a.mp4,0.0,10.0\nb.mp')).toEqual({ notices: [{ file: 'a.mp4', startSeconds: 0, endSeconds: 10 }], rejected: [] });
    expect(reader.push('4,10.0,20.0\r\ngarbage\n')).toEqual({ notices: [{ file: 'b.mp4', startSeconds: 10, endSeconds: 20 }], rejected: ['garbage'] });
    expect(reader.push('')).toEqual({ notices: [], rejected: [] });
  });
});
