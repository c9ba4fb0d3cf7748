import { DescentError } from '@descent/core';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const PAD = '='.charCodeAt(0);
/** Characters per `String.fromCharCode` call: well under every engine's argument limit. */
const CHUNK = 8192;

/** Sextet value of each ASCII code, -1 for a character outside the alphabet. */
const SEXTETS: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < ALPHABET.length; i++) table[ALPHABET.charCodeAt(i)] = i;
  return table;
})();
const CODES: Uint8Array = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));

/**
 * Bytes to base64: the standard alphabet of RFC 4648 §4 (`A–Z a–z 0–9 + /`), padded with `=` to a
 * multiple of 4 characters, no line breaks. A table codec with no dependency (no `Buffer`, no
 * `btoa`), so it gives the same text in browsers, workers and Node.
 *
 * @example
 * ```ts
 * encodeBase64(new Uint8Array([0x66, 0x6f, 0x6f])); // 'Zm9v'
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(4 * Math.ceil(bytes.length / 3));
  let o = 0;
  for (let i = 0; i < bytes.length; i += 3) {
    const rest = bytes.length - i;
    const b0 = bytes[i] as number;
    const b1 = rest > 1 ? (bytes[i + 1] as number) : 0;
    const b2 = rest > 2 ? (bytes[i + 2] as number) : 0;
    out[o++] = CODES[b0 >> 2] as number;
    out[o++] = CODES[((b0 & 0x03) << 4) | (b1 >> 4)] as number;
    out[o++] = rest > 1 ? (CODES[((b1 & 0x0f) << 2) | (b2 >> 6)] as number) : PAD;
    out[o++] = rest > 2 ? (CODES[b2 & 0x3f] as number) : PAD;
  }
  let text = '';
  for (let i = 0; i < out.length; i += CHUNK) {
    text += String.fromCharCode(...out.subarray(i, i + CHUNK));
  }
  return text;
}

/**
 * Base64 to bytes, strictly: the standard alphabet of RFC 4648 §4 with its `=` padding, a length
 * that is a multiple of 4, no whitespace, no URL-safe `-`/`_`, and zero pad bits (so every byte
 * string has exactly one accepted encoding, the one {@link encodeBase64} writes).
 *
 * @param label - How error messages name the text (e.g. `masks["w"].bits`).
 * @param text - The base64 text.
 * @returns the decoded bytes, in a new array.
 * @throws DescentError `BAD_ARGUMENT` naming `label` and the first offending character.
 * @example
 * ```ts
 * decodeBase64('bits', 'Zm9vYg=='); // Uint8Array [0x66, 0x6f, 0x6f, 0x62]
 * ```
 */
export function decodeBase64(label: string, text: string): Uint8Array {
  if (text.length % 4 !== 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} is not base64: its length ${text.length} is not a multiple of 4.`,
    );
  }
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const data = text.length - padding;
  const out = new Uint8Array((3 * text.length) / 4 - padding);
  let o = 0;
  let buffer = 0;
  for (let i = 0; i < data; i++) {
    const code = text.charCodeAt(i);
    const sextet = code < 128 ? (SEXTETS[code] as number) : -1;
    if (sextet < 0) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${label} is not base64: character ${i} is ${JSON.stringify(text[i])}, not one of A–Z, a–z, 0–9, +, / (or = padding at the end).`,
      );
    }
    buffer = (buffer << 6) | sextet;
    if (i % 4 === 3) {
      out[o++] = buffer >> 16;
      out[o++] = (buffer >> 8) & 0xff;
      out[o++] = buffer & 0xff;
      buffer = 0;
    }
  }
  if (padding > 0) finishPadded(label, text, buffer, padding, out, o);
  return out;
}

/** Writes the 1 or 2 bytes of the padded last quantum, refusing pad bits that are not zero. */
function finishPadded(
  label: string,
  text: string,
  buffer: number,
  padding: number,
  out: Uint8Array,
  at: number,
): void {
  const padBits = padding === 2 ? 4 : 2;
  if ((buffer & ((1 << padBits) - 1)) !== 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${label} is not canonical base64: character ${text.length - padding - 1} (${JSON.stringify(text[text.length - padding - 1])}) sets pad bits that must be 0.`,
    );
  }
  const bits = buffer >> padBits;
  if (padding === 2) {
    out[at] = bits;
  } else {
    out[at] = bits >> 8;
    out[at + 1] = bits & 0xff;
  }
}
