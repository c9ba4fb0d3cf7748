import { describe, expect, it } from 'vitest';
import { encodeModule, F32, I32, sleb, uleb } from './wasm-encoder';
import { op } from './opcodes';

describe('wasm encoder', () => {
  it('encodes LEB128 as the specification examples', () => {
    expect(uleb(0)).toEqual([0]);
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26]);
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78]);
    expect(sleb(-4)).toEqual([0x7c]);
    expect(sleb(64)).toEqual([0xc0, 0x00]);
  });

  it('builds a module that imports memory and runs', () => {
    // store(ptr, x): memory[ptr] = x * 2
    const bytes = encodeModule([
      {
        exportName: 'run',
        params: [I32, F32],
        results: [],
        locals: [],
        body: [...op.localGet(0), ...op.localGet(1), ...op.f32Const(2), 0x94, ...op.f32Store],
      },
    ]);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    (instance.exports.run as (p: number, x: number) => void)(8, 1.25);
    expect(new Float32Array(memory.buffer, 8, 1)[0]).toBe(2.5);
  });
});
