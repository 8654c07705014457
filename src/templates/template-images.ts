import { imageSize } from 'image-size';
import { templateLimits } from './template-limits';

/**
 * Image rules of a template (JPEG only, at most 50 MB, width + height at most 14000 px, no thinner
 * than 1:20), checked from the bytes themselves: the declared MIME type and file name are never
 * trusted. Dimensions come from the frame header via `image-size`; the file must also be a whole
 * JPEG (its marker segments reach the image data and an end-of-image marker follows).
 *
 * Not promised: that every scan decodes (the entropy-coded data is not decoded), nor anything about
 * colour space or EXIF orientation (width + height and the aspect ratio do not depend on rotation).
 */
export type ImageRule =
  | 'images.max'
  | 'images.format'
  | 'images.maxBytes'
  | 'images.dimensions'
  | 'images.aspectRatio'
  | 'images.unreadable';

export type ImageCheck =
  | { ok: true; width: number; height: number }
  | { ok: false; rule: Exclude<ImageRule, 'images.max'>; message: string };

export type ImagesCheck =
  | { ok: true; images: { width: number; height: number }[] }
  | { ok: false; rule: ImageRule; message: string; index?: number };

type Failure = Extract<ImageCheck, { ok: false }>;

const fail = (rule: Failure['rule'], message: string): Failure => ({ ok: false, rule, message });

const jpegSignature = [0xff, 0xd8, 0xff] as const;
const endOfImage = Buffer.from([0xff, 0xd9]);
const startOfScan = 0xda;

const hasJpegSignature = (bytes: Uint8Array): boolean =>
  jpegSignature.every((byte, index) => bytes[index] === byte);

function readSize(bytes: Uint8Array): { width: number; height: number; type: string } | Error {
  try {
    const { width, height, type } = imageSize(bytes);
    return { width, height, type: type ?? 'unknown' };
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

function formatFailure(bytes: Uint8Array): Failure {
  const size = readSize(bytes);
  const found =
    size instanceof Error
      ? `bytes starting ${Buffer.from(bytes.subarray(0, 3)).toString('hex') || '(empty)'}`
      : `a ${size.type} image`;
  return fail('images.format', `only JPEG images are allowed (signature FF D8 FF); got ${found}`);
}

/** Offset of the entropy-coded data after the first SOS header, or -1 if the segments end first. */
function scanDataOffset(bytes: Uint8Array): number {
  let offset = 2;
  while (offset + 4 <= bytes.length) {
    if (bytes[offset] !== 0xff) return -1;
    const marker = bytes[offset + 1];
    if (marker === 0xff) {
      offset += 1;
      continue;
    }
    const next = offset + 2 + (((bytes[offset + 2] ?? 0) << 8) | (bytes[offset + 3] ?? 0));
    if (marker === startOfScan) return next <= bytes.length ? next : -1;
    offset = next;
  }
  return -1;
}

/** FF D9 cannot occur inside entropy-coded data (FF is stuffed), so the first one ends the image. */
function structureFailure(bytes: Uint8Array): Failure | null {
  const scanData = scanDataOffset(bytes);
  if (scanData < 0) return fail('images.unreadable', 'JPEG is truncated or corrupt: no image data (SOS)');
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return view.indexOf(endOfImage, scanData) < 0
    ? fail('images.unreadable', 'JPEG is truncated: no end-of-image marker (FF D9) after the image data')
    : null;
}

function dimensionsFailure(width: number, height: number): Failure | null {
  const size = `${width}×${height} px`;
  if (width < 1 || height < 1)
    return fail('images.dimensions', `image is ${size}; width and height must be at least 1 px`);
  const sum = width + height;
  if (sum > templateLimits.imageMaxDimensionSum) {
    const limit = templateLimits.imageMaxDimensionSum;
    return fail(
      'images.dimensions',
      `image is ${size}, width + height = ${sum}; at most ${limit} px allowed`,
    );
  }
  const [short, long] = width <= height ? [width, height] : [height, width];
  if (long > short * templateLimits.imageMaxAspectRatio) {
    const ratio = `1:${(long / short).toFixed(2)}`;
    const limit = `1:${templateLimits.imageMaxAspectRatio}`;
    return fail('images.aspectRatio', `image is ${size}, aspect ratio ${ratio}; at most ${limit} allowed`);
  }
  return null;
}

/** Checks one template image from its bytes; on success returns its dimensions. */
export function checkTemplateImage(bytes: Uint8Array): ImageCheck {
  if (!hasJpegSignature(bytes)) return formatFailure(bytes);
  if (bytes.length > templateLimits.imageMaxBytes) {
    const limit = templateLimits.imageMaxBytes;
    return fail('images.maxBytes', `image is ${bytes.length} bytes; at most ${limit} bytes (50 MB) allowed`);
  }
  const size = readSize(bytes);
  if (size instanceof Error) return fail('images.unreadable', `JPEG header cannot be read: ${size.message}`);
  if (size.type !== 'jpg')
    return fail('images.format', `only JPEG images are allowed; got a ${size.type} image`);
  const problem = structureFailure(bytes) ?? dimensionsFailure(size.width, size.height);
  return problem ?? { ok: true, width: size.width, height: size.height };
}

/** Checks a template's images: their count, then each in order; the first failure names its index. */
export function checkTemplateImages(images: readonly Uint8Array[]): ImagesCheck {
  if (images.length > templateLimits.maxImages) {
    const message = `template has ${images.length} images; at most ${templateLimits.maxImages} allowed`;
    return { ok: false, rule: 'images.max', message };
  }
  const sizes: { width: number; height: number }[] = [];
  for (const [index, bytes] of images.entries()) {
    const check = checkTemplateImage(bytes);
    if (!check.ok) return { ...check, message: `image ${index + 1}: ${check.message}`, index };
    sizes.push({ width: check.width, height: check.height });
  }
  return { ok: true, images: sizes };
}
