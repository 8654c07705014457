import { createHash } from 'node:crypto';

/**
 * Deterministic ids and tokens for the sandbox: the same seed and the same sequence of calls give
 * the same ids, so tests and demos are reproducible. sfc32 seeded from SHA-256 of the seed.
 */
export interface SeededRandom {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** `length` characters from [A-Za-z0-9]. */
  token(length: number): string;
  /** `length` lower-case hex characters. */
  hex(length: number): string;
}

export function createSeededRandom(seed: string): SeededRandom {
  const words = createHash('sha256').update(seed).digest();
  let a = words.readUInt32LE(0);
  let b = words.readUInt32LE(4);
  let c = words.readUInt32LE(8);
  let d = words.readUInt32LE(12);
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  const pick = (alphabet: string, length: number): string =>
    Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    token: (length) => pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', length),
    hex: (length) => pick('0123456789abcdef', length),
  };
}
