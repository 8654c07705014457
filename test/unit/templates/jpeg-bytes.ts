/**
 * Builds structurally valid baseline JPEGs of any size, for the template image tests: SOI, APP0
 * (JFIF), DQT, SOF0 with the wanted width and height, DHT (one DC and one AC table, a single
 * one-bit code each), optional COM padding, SOS, entropy-coded data (every 8×8 block is flat grey:
 * DC difference 0 then end-of-block), EOI. The output decodes with ImageMagick (`identify`), see
 * `test/fixtures/templates/README.md`.
 */

const segment = (marker: number, payload: readonly number[] | Buffer): Buffer => {
  const length = payload.length + 2;
  return Buffer.concat([Buffer.from([0xff, marker, length >> 8, length & 0xff]), Buffer.from(payload)]);
};

const u16 = (value: number): number[] => [value >> 8, value & 0xff];

/** Huffman table with a single code of length 1 for `symbol`. */
const singleCodeTable = (tableClassAndId: number, symbol: number): Buffer =>
  segment(0xc4, [tableClassAndId, 1, ...new Array<number>(15).fill(0), symbol]);

function entropyData(width: number, height: number): Buffer {
  const blocks = Math.ceil(width / 8) * Math.ceil(height / 8);
  const bits = blocks * 2;
  const data = Buffer.alloc(Math.ceil(bits / 8));
  const used = bits % 8;
  if (used > 0) data[data.length - 1] = 0xff >> used;
  return data;
}

/** COM segments adding exactly `bytes` bytes (0 or at least 4). */
function padding(bytes: number): Buffer[] {
  const segments: Buffer[] = [];
  let left = bytes;
  while (left > 0) {
    let take = Math.min(left, 65_537);
    if (left - take > 0 && left - take < 4) take -= 4;
    segments.push(segment(0xfe, Buffer.alloc(take - 4, 0x20)));
    left -= take;
  }
  return segments;
}

export interface JpegOptions {
  /** Total size of the file in bytes, reached with COM segments before the frame header. */
  totalBytes?: number;
}

/** A grayscale baseline JPEG of `width` × `height` pixels. */
export function makeJpeg(width: number, height: number, options: JpegOptions = {}): Buffer {
  const head = [
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0]),
    segment(0xdb, [0, ...new Array<number>(64).fill(1)]),
  ];
  const frame = [
    segment(0xc0, [8, ...u16(height), ...u16(width), 1, 1, 0x11, 0]),
    singleCodeTable(0x00, 0x00),
    singleCodeTable(0x10, 0x00),
    segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    entropyData(width, height),
    Buffer.from([0xff, 0xd9]),
  ];
  const size = [...head, ...frame].reduce((sum, part) => sum + part.length, 0);
  const pad = options.totalBytes === undefined ? [] : padding(options.totalBytes - size);
  return Buffer.concat([...head, ...pad, ...frame]);
}
