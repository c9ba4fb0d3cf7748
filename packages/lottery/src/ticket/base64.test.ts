import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

/** The platform's codec, as an independent reference. */
const reference = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));

describe('base64', () => {
  it('encodes and decodes the test vectors of RFC 4648 §10', () => {
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'Zg=='],
      ['fo', 'Zm8='],
      ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='],
      ['fooba', 'Zm9vYmE='],
      ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(encodeBase64(ascii(plain))).toBe(encoded);
      expect(Array.from(decodeBase64('x', encoded))).toEqual(Array.from(ascii(plain)));
    }
  });

  it('round-trips all 256 byte values, at every offset modulo 3', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    for (const start of [0, 1, 2]) {
      const bytes = all.subarray(start);
      const text = encodeBase64(bytes);
      expect(text).toBe(reference(bytes));
      expect(text.length).toBe(4 * Math.ceil(bytes.length / 3));
      expect(Array.from(decodeBase64('x', text))).toEqual(Array.from(bytes));
    }
    expect(encodeBase64(Uint8Array.of(0xfb, 0xff, 0xbf))).toBe('+/+/');
    expect(encodeBase64(Uint8Array.of(0, 0, 0))).toBe('AAAA');
  });

  it('matches the platform codec for every length 0–40 and a text longer than one chunk', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed >> 16;
    };
    for (let n = 0; n <= 40; n++) {
      const bytes = Uint8Array.from({ length: n }, () => next() & 0xff);
      expect(encodeBase64(bytes)).toBe(reference(bytes));
      expect(Array.from(decodeBase64('x', reference(bytes)))).toEqual(Array.from(bytes));
    }
    const long = Uint8Array.from({ length: 30001 }, () => next() & 0xff);
    const text = encodeBase64(long);
    expect(text).toBe(reference(long));
    expect(decodeBase64('x', text)).toEqual(long);
  });

  it('refuses characters outside the alphabet, naming the label and the position', () => {
    for (const [text, at] of [
      ['Zm9v-A==', 4],
      ['Zm9v_A==', 4],
      ['Zm 9', 2],
      ['Zm9\n', 3],
      ['Zm9é', 3],
      ['Zm=v', 2],
      ['====', 0],
      ['Z===', 1],
    ] as const) {
      expectDescentError(
        () => decodeBase64('masks["w"].bits', text),
        'BAD_ARGUMENT',
        'masks["w"].bits',
        `character ${at}`,
      );
    }
  });

  it('refuses a length that is not a multiple of 4, and pad bits that are not 0', () => {
    for (const text of ['Zg', 'Zg=', 'Zm9vY', 'A']) {
      expectDescentError(() => decodeBase64('b', text), 'BAD_ARGUMENT', 'b', `${text.length}`);
    }
    // 'Zh==' and 'Zm9=' decode to 'f' and 'fo' with stray pad bits: one encoding per byte string.
    expectDescentError(() => decodeBase64('b', 'Zh=='), 'BAD_ARGUMENT', 'pad bits', 'character 1');
    expectDescentError(() => decodeBase64('b', 'Zm9='), 'BAD_ARGUMENT', 'pad bits', 'character 2');
    expect(Array.from(decodeBase64('b', 'Zm8='))).toEqual([0x66, 0x6f]);
  });
});
