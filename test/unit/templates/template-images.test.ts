import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTemplateImage, checkTemplateImages } from '../../../src/templates/template-images';
import { templateLimits } from '../../../src/templates/template-limits';
import { makeJpeg } from './jpeg-bytes';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, '../../fixtures/templates', name));

describe('checkTemplateImage: real encoder output', () => {
  it('accepts a baseline JPEG and returns its dimensions', () => {
    expect(checkTemplateImage(fixture('photo-16x9.jpg'))).toEqual({ ok: true, width: 16, height: 9 });
  });

  it('accepts a progressive JPEG at exactly 1:20', () => {
    expect(checkTemplateImage(fixture('progressive-20x1.jpg'))).toEqual({ ok: true, width: 20, height: 1 });
  });

  it('refuses a 1×21 JPEG as too thin, naming the limit and the actual ratio', () => {
    expect(checkTemplateImage(fixture('sliver-1x21.jpg'))).toEqual({
      ok: false,
      rule: 'images.aspectRatio',
      message: 'image is 1×21 px, aspect ratio 1:21.00; at most 1:20 allowed',
    });
  });

  it('refuses a PNG as format, naming what it is', () => {
    expect(checkTemplateImage(fixture('pixel-2x2.png'))).toEqual({
      ok: false,
      rule: 'images.format',
      message: 'only JPEG images are allowed (signature FF D8 FF); got a png image',
    });
  });

  it('refuses a JPEG cut inside its image data (no end-of-image marker)', () => {
    expect(checkTemplateImage(fixture('photo-16x9-truncated.jpg'))).toEqual({
      ok: false,
      rule: 'images.unreadable',
      message: 'JPEG is truncated: no end-of-image marker (FF D9) after the image data',
    });
  });

  it('refuses a JPEG cut after its frame header but before the image data', () => {
    const cut = fixture('photo-16x9.jpg').subarray(0, 300);
    expect(checkTemplateImage(cut)).toMatchObject({
      ok: false,
      rule: 'images.unreadable',
      message: 'JPEG is truncated or corrupt: no image data (SOS)',
    });
  });

  it('refuses a JPEG cut before its frame header as unreadable', () => {
    const result = checkTemplateImage(fixture('photo-16x9.jpg').subarray(0, 100));
    expect(result).toMatchObject({ ok: false, rule: 'images.unreadable' });
    expect(result.ok ? '' : result.message).toMatch(/^JPEG header cannot be read: /);
  });

  it('refuses an arithmetic-coded JPEG, whose size cannot be read', () => {
    expect(checkTemplateImage(fixture('arithmetic-16x9.jpg'))).toMatchObject({
      ok: false,
      rule: 'images.unreadable',
    });
  });
});

describe('checkTemplateImage: signature and format', () => {
  it.each([
    ['empty', Buffer.alloc(0), '(empty)'],
    ['two bytes of SOI only', Buffer.from([0xff, 0xd8]), 'ffd8'],
    ['text', Buffer.from('hello, мир'), '68656c'],
  ])('refuses %s as format', (_name, bytes, shown) => {
    expect(checkTemplateImage(bytes)).toEqual({
      ok: false,
      rule: 'images.format',
      message: `only JPEG images are allowed (signature FF D8 FF); got bytes starting ${shown}`,
    });
  });

  it('refuses a GIF named like a JPEG: the bytes decide', () => {
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1');
    expect(checkTemplateImage(gif)).toMatchObject({ ok: false, rule: 'images.format' });
  });

  it('accepts a plain Uint8Array as well as a Buffer', () => {
    const bytes = new Uint8Array(makeJpeg(3, 4));
    expect(checkTemplateImage(bytes)).toEqual({ ok: true, width: 3, height: 4 });
  });

  it('reads a Buffer that is a view into a larger allocation', () => {
    const jpeg = makeJpeg(5, 6);
    const pool = Buffer.concat([Buffer.from('junk'), jpeg, Buffer.from('junk')]);
    expect(checkTemplateImage(pool.subarray(4, 4 + jpeg.length))).toEqual({ ok: true, width: 5, height: 6 });
  });
});

describe('checkTemplateImage: size in bytes', () => {
  const limit = templateLimits.imageMaxBytes;

  it('uses 50 MB = 52428800 bytes', () => {
    expect(limit).toBe(52_428_800);
  });

  it('accepts a JPEG of exactly 50 MB', () => {
    const jpeg = makeJpeg(64, 48, { totalBytes: limit });
    expect(jpeg.length).toBe(limit);
    expect(checkTemplateImage(jpeg)).toEqual({ ok: true, width: 64, height: 48 });
  });

  it('refuses one byte more, naming the limit and the size', () => {
    expect(checkTemplateImage(makeJpeg(64, 48, { totalBytes: limit + 1 }))).toEqual({
      ok: false,
      rule: 'images.maxBytes',
      message: 'image is 52428801 bytes; at most 52428800 bytes (50 MB) allowed',
    });
  });
});

describe('checkTemplateImage: dimensions', () => {
  it('accepts width + height of exactly 14000 in both orientations', () => {
    expect(checkTemplateImage(makeJpeg(7000, 7000))).toEqual({ ok: true, width: 7000, height: 7000 });
    expect(checkTemplateImage(makeJpeg(13_000, 1000))).toEqual({ ok: true, width: 13_000, height: 1000 });
    expect(checkTemplateImage(makeJpeg(1000, 13_000))).toEqual({ ok: true, width: 1000, height: 13_000 });
  });

  it('refuses 7001×7000 (sum 14001), naming the limit and the sum', () => {
    expect(checkTemplateImage(makeJpeg(7001, 7000))).toEqual({
      ok: false,
      rule: 'images.dimensions',
      message: 'image is 7001×7000 px, width + height = 14001; at most 14000 px allowed',
    });
  });

  it('checks the sum before the ratio', () => {
    expect(checkTemplateImage(makeJpeg(14_000, 1))).toMatchObject({ ok: false, rule: 'images.dimensions' });
  });

  it('refuses a frame header with zero height', () => {
    expect(checkTemplateImage(makeJpeg(10, 0))).toEqual({
      ok: false,
      rule: 'images.dimensions',
      message: 'image is 10×0 px; width and height must be at least 1 px',
    });
  });
});

describe('checkTemplateImage: aspect ratio', () => {
  it.each([
    [1, 20],
    [20, 1],
    [400, 8000],
    [8000, 400],
    [666, 13_320],
  ] as const)('accepts %i×%i (exactly 1:20 or wider)', (width, height) => {
    expect(checkTemplateImage(makeJpeg(width, height))).toEqual({ ok: true, width, height });
  });

  it.each([
    [1, 21, '1:21.00'],
    [21, 1, '1:21.00'],
    [400, 8001, '1:20.00'],
    [8001, 400, '1:20.00'],
    [10, 250, '1:25.00'],
  ] as const)('refuses %i×%i as thinner than 1:20', (width, height, ratio) => {
    expect(checkTemplateImage(makeJpeg(width, height))).toEqual({
      ok: false,
      rule: 'images.aspectRatio',
      message: `image is ${width}×${height} px, aspect ratio ${ratio}; at most 1:20 allowed`,
    });
  });
});

describe('checkTemplateImages', () => {
  const small = makeJpeg(16, 9);

  it('accepts no images', () => {
    expect(checkTemplateImages([])).toEqual({ ok: true, images: [] });
  });

  it('accepts exactly 5 images and returns their dimensions in order', () => {
    const images = [small, makeJpeg(1, 20), small, fixture('photo-16x9.jpg'), makeJpeg(300, 200)];
    expect(checkTemplateImages(images)).toEqual({
      ok: true,
      images: [
        { width: 16, height: 9 },
        { width: 1, height: 20 },
        { width: 16, height: 9 },
        { width: 16, height: 9 },
        { width: 300, height: 200 },
      ],
    });
  });

  it('refuses 6 images with images.max', () => {
    expect(checkTemplateImages(new Array<Buffer>(6).fill(small))).toEqual({
      ok: false,
      rule: 'images.max',
      message: 'template has 6 images; at most 5 allowed',
    });
  });

  it('names the first failing image by index', () => {
    const result = checkTemplateImages([small, fixture('pixel-2x2.png'), fixture('sliver-1x21.jpg')]);
    expect(result).toEqual({
      ok: false,
      rule: 'images.format',
      index: 1,
      message: 'image 2: only JPEG images are allowed (signature FF D8 FF); got a png image',
    });
  });
});
