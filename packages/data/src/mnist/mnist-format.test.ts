import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { decodeMnistCache, digitsFromJson, encodeMnistCache } from './mnist-format';
import { largestRemainder } from './mnist-split';

// Pure JavaScript: runs once, not per backend.
describe('mnist binary format', () => {
  const classA = Array.from(
    { length: 2 * 784 },
    (_, i) => Math.round((((i * 37) % 256) / 255) * 1000) / 1000,
  );
  const classB = Array.from(
    { length: 784 },
    (_, i) => Math.round((((i * 11) % 256) / 255) * 1000) / 1000,
  );

  it('recovers the original bytes from 3-decimal JSON values', () => {
    const digits = digitsFromJson([classA, classB]);
    expect(Array.from(digits.labels)).toEqual([0, 0, 1]);
    expect(digits.pixels.length).toBe(3 * 784);
    for (let i = 0; i < 2 * 784; i++) expect(digits.pixels[i]).toBe((i * 37) % 256);
    for (let i = 0; i < 784; i++) expect(digits.pixels[2 * 784 + i]).toBe((i * 11) % 256);
    // All 256 bytes survive the 3-decimal rounding.
    const all = Array.from({ length: 784 }, (_, i) => Math.round(((i % 256) / 255) * 1000) / 1000);
    const bytes = digitsFromJson([all]).pixels;
    for (let i = 0; i < 784; i++) expect(bytes[i]).toBe(i % 256);
  });

  it('round-trips through the cache format and rejects damaged files', () => {
    const digits = digitsFromJson([classA, classB]);
    const encoded = encodeMnistCache(digits);
    expect(encoded.length).toBe(24 + 3 * 785);
    const decoded = decodeMnistCache(encoded);
    expect(decoded?.labels).toEqual(digits.labels);
    expect(decoded?.pixels).toEqual(digits.pixels);
    const flipped = encoded.slice();
    flipped[100] = (flipped[100] as number) ^ 4;
    expect(decodeMnistCache(flipped)).toBeNull();
    expect(decodeMnistCache(encoded.subarray(0, encoded.length - 1))).toBeNull();
    const wrongMagic = encoded.slice();
    wrongMagic[0] = 0;
    expect(decodeMnistCache(wrongMagic)).toBeNull();
    expect(decodeMnistCache(new Uint8Array(3))).toBeNull();
  });

  it('rejects a damaged package', () => {
    expectDescentError(() => digitsFromJson([[0.5, 0.5]]), 'BAD_ARGUMENT', '0.json', '784');
    const bad = classB.slice();
    bad[3] = 1.5;
    expectDescentError(() => digitsFromJson([classA, bad]), 'BAD_ARGUMENT', '1.json', '1.5');
  });
});

describe('largestRemainder', () => {
  it('gives proportional quotas summing to the total, ties to the lower index', () => {
    expect(largestRemainder([1001, 1127, 991], 624)).toEqual([200, 226, 198]);
    expect(largestRemainder([1, 1, 1], 2)).toEqual([1, 1, 0]);
    expect(largestRemainder([5, 0, 5], 3)).toEqual([2, 0, 1]);
    expect(largestRemainder([0, 0], 3)).toEqual([0, 0]);
  });
});
