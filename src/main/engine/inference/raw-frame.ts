/**
 * One decoded picture as FFmpeg writes it (`-f rawvideo -pix_fmt bgr24`, or PPM / rgb24):
 * rows of width * 3 bytes, no padding between rows.
 */
export interface RawFrame {
  width: number;
  height: number;
  data: Uint8Array;
  /** Byte order of each pixel: 'bgr24' (blue first) unless given; PPM pictures are 'rgb24'. */
  pixelFormat?: 'bgr24' | 'rgb24';
}

export function assertRawFrame(frame: RawFrame): void {
  if (!Number.isInteger(frame.width) || !Number.isInteger(frame.height) || frame.width <= 0 || frame.height <= 0) {
    throw new RangeError(`frame size ${frame.width}x${frame.height} is not a positive whole size`);
  }
  if (frame.data.length < frame.width * frame.height * 3) {
    throw new RangeError(`a ${frame.width}x${frame.height} BGR24 frame needs ${frame.width * frame.height * 3} bytes, got ${frame.data.length}`);
  }
}
