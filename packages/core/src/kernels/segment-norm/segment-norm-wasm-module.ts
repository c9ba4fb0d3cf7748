import { f32Ops, f32x4Ops, op } from '../../wasm/opcodes';
import {
  encodeModule,
  F32,
  I32,
  V128,
  type ValType,
  type WasmFunction,
} from '../../wasm/wasm-encoder';
import { LocalAllocator } from '../../wasm/local-allocator';
import { loopOver } from '../../wasm/loop-over';

/** Exported function names of the generated module, by lane width (4 = `f32x4` over `j`). */
export const SEGMENT_NORM_EXPORTS = {
  forward: { 1: 'forward1', 4: 'forward4' },
  backward: { 1: 'backward1', 4: 'backward4' },
} as const;

type Width = 1 | 4;
type Code = number[];

/**
 * Generates the segment-normalization module: it imports the tfjs wasm backend's memory as
 * `env.memory` (no data segment, no stack) and exports, for lane widths 1 (scalar `f32`) and 4
 * (`f32x4` over `j`, for `L % 4 = 0`):
 *
 * - `forwardW(x, γ, β, y, mean, rstd, A, S, B, L, ε)`: per segment (a, b) two passes for
 *   `μ = Σx/n`, `σ² = Σ(x−μ)²/n` (n = S·L), `rstd = 1/√(σ²+ε)`, then `y = (x−μ)·rstd·γ_c + β_c`;
 * - `backwardW(x, γ, dy, mean, rstd, dx, dγ, dβ, A, S, B, L)`: one pass for
 *   `s₁ = Σ dy·γ_c`, `s₂ = Σ dy·γ_c·x̂` and the channel sums `dγ_c += dy·x̂`, `dβ_c += dy`, then
 *   `dx = rstd·(dy·γ_c − s₁/n − x̂·s₂/n)`.
 *
 * Pointers are byte offsets into the heap; x is `[A, S, B, L]` row-major and channel c = b·L + j.
 * Sums are two-level (per `s` row, then across rows) in float32.
 */
export function generateSegmentNormWasm(sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  return encodeModule([forward(1), forward(4), backward(1), backward(4)], sharedMemory);
}

/** Instruction helpers of one lane width. */
function lanes(width: Width) {
  const vector = width === 4;
  return {
    type: (vector ? V128 : F32) as ValType,
    load: vector ? op.v128Load : op.f32Load,
    store: vector ? op.v128Store : op.f32Store,
    add: vector ? f32x4Ops.add : f32Ops.add,
    sub: vector ? f32x4Ops.sub : f32Ops.sub,
    mul: vector ? f32x4Ops.mul : f32Ops.mul,
    /** Broadcast the f32 on top of the stack. */
    splat: vector ? [...op.f32x4Splat] : [],
    /** Push the horizontal sum (an f32) of a lane-typed local. */
    hsum: (local: number): Code =>
      vector
        ? [
            ...op.localGet(local),
            ...op.f32x4ExtractLane(0),
            ...op.localGet(local),
            ...op.f32x4ExtractLane(1),
            ...f32Ops.add,
            ...op.localGet(local),
            ...op.f32x4ExtractLane(2),
            ...op.localGet(local),
            ...op.f32x4ExtractLane(3),
            ...f32Ops.add,
            ...f32Ops.add,
          ]
        : op.localGet(local),
  };
}

/** `i = 0; while (i < limit) { body; i += step }`, `limit` a local. */
function loop(index: number, limit: number, step: number, body: Code): Code {
  return [...op.i32Const(0), ...op.localSet(index), ...loopOver(index, limit, step, body)];
}

const mulLocals = (a: number, b: number): Code => [
  ...op.localGet(a),
  ...op.localGet(b),
  ...op.i32Mul,
];
const addr = (pointer: number, offset: number): Code => [
  ...op.localGet(pointer),
  ...op.localGet(offset),
  ...op.i32Add,
];

/**
 * The loop nest shared by both functions: over segments (a, b), and within a segment over rows
 * `s` and lanes `j`. Exposes the locals: `off` (byte offset of x[a, s, b, j]), `ch` (byte offset
 * of channel b·L + j), `stat` (byte offset of [a, b]) and `n` (S·L as f32).
 */
function nest(
  locals: LocalAllocator,
  width: Width,
  dims: { A: number; S: number; B: number; L: number },
) {
  const [a, b, s, j] = [locals.add(I32), locals.add(I32), locals.add(I32), locals.add(I32)];
  const i32 = () => locals.add(I32);
  const [lBytes, cBytes, scBytes, seg, row, off, bl, ch, stat] = [
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
    i32(),
  ];
  const n = locals.add(F32);
  const setup: Code = [
    // lBytes = L·4, cBytes = B·L·4, scBytes = S·cBytes, n = S·L
    ...op.localGet(dims.L),
    ...op.i32Const(2),
    ...op.i32Shl,
    ...op.localSet(lBytes),
    ...mulLocals(dims.B, lBytes),
    ...op.localSet(cBytes),
    ...mulLocals(dims.S, cBytes),
    ...op.localSet(scBytes),
    ...mulLocals(dims.S, dims.L),
    ...op.f32ConvertI32U,
    ...op.localSet(n),
  ];
  const segments = (body: Code): Code =>
    loop(a, dims.A, 1, [
      ...loop(b, dims.B, 1, [
        // seg = a·scBytes + b·lBytes; bl = b·lBytes; stat = (a·B + b)·4
        ...mulLocals(b, lBytes),
        ...op.localTee(bl),
        ...mulLocals(a, scBytes),
        ...op.i32Add,
        ...op.localSet(seg),
        ...mulLocals(a, dims.B),
        ...op.localGet(b),
        ...op.i32Add,
        ...op.i32Const(2),
        ...op.i32Shl,
        ...op.localSet(stat),
        ...body,
      ]),
    ]);
  // s runs over the byte offsets 0, cBytes, 2·cBytes, … < S·cBytes of the rows.
  const elements = (perRow: { before?: Code; body: Code; after?: Code }): Code => [
    ...loopBytes(s, scBytes, cBytes, [
      ...op.localGet(seg),
      ...op.localGet(s),
      ...op.i32Add,
      ...op.localSet(row),
      ...(perRow.before ?? []),
      ...loop(j, lBytes, 4 * width, [
        ...addr(row, j),
        ...op.localSet(off),
        ...addr(bl, j),
        ...op.localSet(ch),
        ...perRow.body,
      ]),
      ...(perRow.after ?? []),
    ]),
  ];
  return { setup, segments, elements, off, ch, stat, n, cBytes };
}

/** Like {@link loop} with a step held in a local. */
function loopBytes(index: number, limit: number, stepLocal: number, body: Code): Code {
  return [
    ...op.i32Const(0),
    ...op.localSet(index),
    ...op.block,
    ...op.loop,
    ...op.localGet(index),
    ...op.localGet(limit),
    ...op.i32GeU,
    ...op.brIf(1),
    ...body,
    ...op.localGet(index),
    ...op.localGet(stepLocal),
    ...op.i32Add,
    ...op.localSet(index),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}

function forward(width: Width): WasmFunction {
  // params: x, γ, β, y, mean, rstd, A, S, B, L (i32), ε (f32)
  const [x, gamma, beta, y, mean, rstd, A, S, B, L, eps] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const locals = new LocalAllocator(11);
  const v = lanes(width);
  const loops = nest(locals, width, { A, S, B, L });
  const { off, ch, stat, n } = loops;
  const lane = () => locals.add(v.type);
  const [acc, inner, muV, rV, d] = [lane(), lane(), lane(), lane(), lane()];
  const [mu, r] = [locals.add(F32), locals.add(F32)];
  const zero = (local: number): Code => [...op.f32Const(0), ...v.splat, ...op.localSet(local)];
  const accumulate = (value: Code): { before: Code; body: Code; after: Code } => ({
    before: zero(inner),
    body: [...op.localGet(inner), ...value, ...v.add, ...op.localSet(inner)],
    after: [...op.localGet(acc), ...op.localGet(inner), ...v.add, ...op.localSet(acc)],
  });
  const loadX: Code = [...addr(x, off), ...v.load];
  const centered: Code = [...loadX, ...op.localGet(muV), ...v.sub];
  const body: Code = [
    // μ = Σx / n
    ...zero(acc),
    ...loops.elements(accumulate(loadX)),
    ...v.hsum(acc),
    ...op.localGet(n),
    ...f32Ops.div,
    ...op.localTee(mu),
    ...v.splat,
    ...op.localSet(muV),
    // σ² = Σ(x − μ)² / n, rstd = 1/√(σ² + ε)
    ...zero(acc),
    ...loops.elements(accumulate([...centered, ...op.localTee(d), ...op.localGet(d), ...v.mul])),
    ...op.f32Const(1),
    ...v.hsum(acc),
    ...op.localGet(n),
    ...f32Ops.div,
    ...op.localGet(eps),
    ...f32Ops.add,
    ...f32Ops.sqrt,
    ...f32Ops.div,
    ...op.localTee(r),
    ...v.splat,
    ...op.localSet(rV),
    ...addr(mean, stat),
    ...op.localGet(mu),
    ...op.f32Store,
    ...addr(rstd, stat),
    ...op.localGet(r),
    ...op.f32Store,
    // y = (x − μ)·rstd·γ + β
    ...loops.elements({
      body: [
        ...addr(y, off),
        ...centered,
        ...op.localGet(rV),
        ...v.mul,
        ...addr(gamma, ch),
        ...v.load,
        ...v.mul,
        ...addr(beta, ch),
        ...v.load,
        ...v.add,
        ...v.store,
      ],
    }),
  ];
  return {
    exportName: SEGMENT_NORM_EXPORTS.forward[width],
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F32],
    results: [],
    locals: locals.types,
    body: [...loops.setup, ...loops.segments(body)],
  };
}

function backward(width: Width): WasmFunction {
  // params: x, γ, dy, mean, rstd, dx, dγ, dβ, A, S, B, L (i32)
  const [x, gamma, dy, mean, rstd, dx, dGamma, dBeta, A, S, B, L] = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
  ];
  const locals = new LocalAllocator(12);
  const v = lanes(width);
  const loops = nest(locals, width, { A, S, B, L });
  const { off, ch, stat, n, cBytes } = loops;
  const lane = () => locals.add(v.type);
  const [s1, s2, in1, in2, muV, rV, xh, d, g, m1, m2] = [
    lane(),
    lane(),
    lane(),
    lane(),
    lane(),
    lane(),
    lane(),
    lane(),
    lane(),
    lane(),
    lane(),
  ];
  const k = locals.add(I32);
  const zero = (local: number): Code => [...op.f32Const(0), ...v.splat, ...op.localSet(local)];
  const addTo = (local: number, value: Code): Code => [
    ...op.localGet(local),
    ...value,
    ...v.add,
    ...op.localSet(local),
  ];
  const addToMemory = (pointer: number, value: Code): Code => [
    ...addr(pointer, ch),
    ...addr(pointer, ch),
    ...v.load,
    ...value,
    ...v.add,
    ...v.store,
  ];
  // x̂ → xh, dy → d, g = dy·γ → g
  const loadCommon: Code = [
    ...addr(x, off),
    ...v.load,
    ...op.localGet(muV),
    ...v.sub,
    ...op.localGet(rV),
    ...v.mul,
    ...op.localSet(xh),
    ...addr(dy, off),
    ...v.load,
    ...op.localTee(d),
    ...addr(gamma, ch),
    ...v.load,
    ...v.mul,
    ...op.localSet(g),
  ];
  const meanOver = (sum: number, target: number): Code => [
    ...v.hsum(sum),
    ...op.localGet(n),
    ...f32Ops.div,
    ...v.splat,
    ...op.localSet(target),
  ];
  const body: Code = [
    ...addr(mean, stat),
    ...op.f32Load,
    ...v.splat,
    ...op.localSet(muV),
    ...addr(rstd, stat),
    ...op.f32Load,
    ...v.splat,
    ...op.localSet(rV),
    ...zero(s1),
    ...zero(s2),
    ...loops.elements({
      before: [...zero(in1), ...zero(in2)],
      body: [
        ...loadCommon,
        ...addTo(in1, op.localGet(g)),
        ...addTo(in2, [...op.localGet(g), ...op.localGet(xh), ...v.mul]),
        ...addToMemory(dGamma, [...op.localGet(d), ...op.localGet(xh), ...v.mul]),
        ...addToMemory(dBeta, op.localGet(d)),
      ],
      after: [...addTo(s1, op.localGet(in1)), ...addTo(s2, op.localGet(in2))],
    }),
    ...meanOver(s1, m1),
    ...meanOver(s2, m2),
    // dx = rstd·(g − s₁/n − x̂·s₂/n)
    ...loops.elements({
      body: [
        ...loadCommon,
        ...addr(dx, off),
        ...op.localGet(g),
        ...op.localGet(m1),
        ...v.sub,
        ...op.localGet(xh),
        ...op.localGet(m2),
        ...v.mul,
        ...v.sub,
        ...op.localGet(rV),
        ...v.mul,
        ...v.store,
      ],
    }),
  ];
  // dγ = dβ = 0 over the C = B·L channels (cBytes bytes each)
  const clear: Code = loop(k, cBytes, 4, [
    ...addr(dGamma, k),
    ...op.f32Const(0),
    ...op.f32Store,
    ...addr(dBeta, k),
    ...op.f32Const(0),
    ...op.f32Store,
  ]);
  return {
    exportName: SEGMENT_NORM_EXPORTS.backward[width],
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: locals.types,
    body: [...loops.setup, ...clear, ...loops.segments(body)],
  };
}
