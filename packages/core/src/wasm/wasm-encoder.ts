/**
 * The few pieces of the WebAssembly binary format that descent's kernel generator needs:
 * LEB128 integers, vectors, sections and a module importing `env.memory`. See the WebAssembly
 * core specification §5 (binary format) and the fixed-width SIMD proposal for opcodes.
 */

export const I32 = 0x7f as const;
export const F32 = 0x7d as const;
export const V128 = 0x7b as const;
export type ValType = typeof I32 | typeof F32 | typeof V128;

/** Unsigned LEB128. */
export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(value: number): number[] {
  const out: number[] = [];
  let v = value | 0;
  for (;;) {
    const byte = v & 0x7f;
    v >>= 7;
    const done = (v === 0 && (byte & 0x40) === 0) || (v === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

/** Little-endian float32 bytes. */
export function f32Bytes(value: number): number[] {
  return [...new Uint8Array(new Float32Array([value]).buffer)];
}

/** A length-prefixed vector of already-encoded items. */
export function vector(items: readonly number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...uleb(bytes.length), ...bytes];
}

/** One function of a module: its signature, extra locals and body (without the final `end`). */
export interface WasmFunction {
  exportName: string;
  params: ValType[];
  results: ValType[];
  locals: ValType[];
  body: number[];
}

/**
 * Encodes a module whose only import is `env.memory` and whose functions are all exported.
 * `sharedMemory` declares the import shared (for the threaded tfjs build, whose memory is a
 * `SharedArrayBuffer`); either way no maximum below 4 GiB is declared, so it matches any memory.
 */
export function encodeModule(
  functions: readonly WasmFunction[],
  sharedMemory = false,
): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => [
    0x60,
    ...vector(f.params.map((t) => [t])),
    ...vector(f.results.map((t) => [t])),
  ]);
  const limits = sharedMemory ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const imports = [[...name('env'), ...name('memory'), 0x02, ...limits]];
  const bodies = functions.map((f) => {
    const locals = vector(f.locals.map((t) => [...uleb(1), t]));
    const code = [...locals, ...f.body, 0x0b];
    return [...uleb(code.length), ...code];
  });
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vector(types)),
    ...section(2, vector(imports)),
    ...section(3, vector(functions.map((_, i) => uleb(i)))),
    ...section(7, vector(functions.map((f, i) => [...name(f.exportName), 0x00, ...uleb(i)]))),
    ...section(10, vector(bodies)),
  ]);
}
