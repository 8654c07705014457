/** What the simulator can tell about an uploaded image without decoding it. */
export interface ImageInfo {
  mimeType: 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif';
  width: number;
  height: number;
}

function jpegSize(data: Buffer): { width: number; height: number } {
  let offset = 2;
  while (offset + 9 < data.length) {
    if (data[offset] !== 0xff) return { width: 0, height: 0 };
    const marker = data[offset + 1] ?? 0;
    const length = data.readUInt16BE(offset + 2);
    // SOF0..SOF15 except DHT (C4), JPG (C8), DAC (CC) carry the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
      return { height: data.readUInt16BE(offset + 5), width: data.readUInt16BE(offset + 7) };
    offset += 2 + length;
  }
  return { width: 0, height: 0 };
}

const sniffers: ReadonlyArray<{ test(data: Buffer): boolean; info(data: Buffer): ImageInfo }> = [
  {
    test: (data) => data.length > 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff,
    info: (data) => ({ mimeType: 'image/jpeg', ...jpegSize(data) }),
  },
  {
    test: (data) => data.length >= 24 && data.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex')),
    info: (data) => ({ mimeType: 'image/png', width: data.readUInt32BE(16), height: data.readUInt32BE(20) }),
  },
  {
    test: (data) =>
      data.length >= 30 &&
      data.toString('latin1', 0, 4) === 'RIFF' &&
      data.toString('latin1', 8, 12) === 'WEBP',
    // VP8X canvas size (24-bit, minus one); other WebP flavours report 0×0.
    info: (data) =>
      data.toString('latin1', 12, 16) === 'VP8X'
        ? { mimeType: 'image/webp', width: data.readUIntLE(24, 3) + 1, height: data.readUIntLE(27, 3) + 1 }
        : { mimeType: 'image/webp', width: 0, height: 0 },
  },
  {
    test: (data) => data.length >= 10 && data.toString('latin1', 0, 4) === 'GIF8',
    info: (data) => ({ mimeType: 'image/gif', width: data.readUInt16LE(6), height: data.readUInt16LE(8) }),
  },
];

/** The image's type and size from its magic bytes, or `null` when it is not an image Telegram takes. */
export function imageInfo(data: Buffer): ImageInfo | null {
  try {
    return sniffers.find((sniffer) => sniffer.test(data))?.info(data) ?? null;
  } catch {
    return null;
  }
}
