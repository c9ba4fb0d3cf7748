import { f32Bytes, sleb, uleb } from './wasm-encoder';

/** Instruction encoders (WebAssembly core + fixed-width SIMD opcodes). */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  select: [0x1b],
  localGet: (i: number) => [0x20, ...uleb(i)],
  localSet: (i: number) => [0x21, ...uleb(i)],
  i32Const: (v: number) => [0x41, ...sleb(v)],
  f32Const: (v: number) => [0x43, ...f32Bytes(v)],
  i32GeU: [0x4f],
  i32Add: [0x6a],
  i32And: [0x71],
  i32Shl: [0x74],
  /** memarg: alignment exponent 2 (4 bytes, what tfjs's allocator guarantees), offset 0. */
  f32Load: [0x2a, 0x02, 0x00],
  /** `i32.load` / `f32.load` at a constant byte offset from the address on the stack. */
  i32LoadAt: (offset: number) => [0x28, 0x02, ...uleb(offset)],
  f32LoadAt: (offset: number) => [0x2a, 0x02, ...uleb(offset)],
  call: (functionIndex: number) => [0x10, ...uleb(functionIndex)],
  f32Store: [0x38, 0x02, 0x00],
  v128Load: [0xfd, ...uleb(0x00), 0x02, 0x00],
  v128Store: [0xfd, ...uleb(0x0b), 0x02, 0x00],
  f32x4Splat: [0xfd, ...uleb(0x13)],
  v128Bitselect: [0xfd, ...uleb(0x52)],
  localTee: (i: number) => [0x22, ...uleb(i)],
  i32LtU: [0x49],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  f32ConvertI32U: [0xb3],
  /** `f32x4.extract_lane` of lane `lane` (0–3). */
  f32x4ExtractLane: (lane: number) => [0xfd, ...uleb(0x1f), lane],
} as const;

/** Scalar (`f32`) and SIMD (`f32x4`) opcodes of the element-wise operations, by name. */
export const f32Ops = {
  neg: [0x8c],
  abs: [0x8b],
  sqrt: [0x91],
  add: [0x92],
  sub: [0x93],
  mul: [0x94],
  div: [0x95],
  min: [0x96],
  max: [0x97],
  lt: [0x5d],
  gt: [0x5e],
  le: [0x5f],
  ge: [0x60],
} as const;

const simd = (code: number) => [0xfd, ...uleb(code)];

export const f32x4Ops = {
  abs: simd(0xe0),
  neg: simd(0xe1),
  sqrt: simd(0xe3),
  add: simd(0xe4),
  sub: simd(0xe5),
  mul: simd(0xe6),
  div: simd(0xe7),
  min: simd(0xe8),
  max: simd(0xe9),
  lt: simd(0x43),
  gt: simd(0x44),
  le: simd(0x45),
  ge: simd(0x46),
} as const;
