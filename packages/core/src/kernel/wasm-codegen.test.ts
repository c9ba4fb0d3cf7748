import { describe, expect, it } from 'vitest';
import { type BoolExpr, children, type Expr, ops as o, type ValueExpr } from './expr';
import type { KernelSignature } from './kernel-signature';
import { generateWasm, WASM_ENTRY } from './wasm-codegen';

const ref = (name: string): ValueExpr => ({ kind: 'ref', name });

/** torch's Adam step as optim writes it, with a clipping factor read from memory (`gscale`). */
function adamStep(): { signature: KernelSignature; outputs: Record<string, Expr> } {
  const g = o.mul(ref('g'), ref('gscale'));
  const m = o.add(o.mul(ref('m'), ref('b1')), o.mul(g, ref('omb1')));
  const v = o.add(o.mul(ref('v'), ref('b2')), o.mul(o.mul(g, g), ref('omb2')));
  const direction = o.div(o.mul(m, ref('ibc1')), o.add(o.mul(o.sqrt(v), ref('isbc2')), ref('eps')));
  return {
    signature: {
      inouts: ['p', 'm', 'v'],
      inputs: ['g'],
      scalars: ['gscale'],
      uniforms: ['lr', 'b1', 'omb1', 'b2', 'omb2', 'eps', 'ibc1', 'isbc2'],
    },
    outputs: { p: o.add(ref('p'), o.mul(direction, o.neg(ref('lr')))), m, v },
  };
}

/** Every operation of the expression language, selects and literals included. */
function everyOp(): { signature: KernelSignature; outputs: Record<string, Expr> } {
  const [a, b, g, s] = ['a', 'b', 'g', 's'].map(ref) as [
    ValueExpr,
    ValueExpr,
    ValueExpr,
    ValueExpr,
  ];
  const shared = o.add(o.mul(s, g), 0.5);
  return {
    signature: { inouts: ['a', 'b'], inputs: ['g'], scalars: [], uniforms: ['s'] },
    outputs: {
      a: o.select(o.gt(g, 0), o.sqrt(o.add(o.abs(a), shared)), o.max(o.min(a, b), o.neg(s))),
      b: o.select(
        o.le(b, a),
        o.div(o.sub(b, shared), o.add(o.mul(g, g), 1)),
        o.select(o.lt(g, s), b, o.neg(b)),
      ),
    },
  };
}

/**
 * float32 evaluation of an expression, rounding after every operation: float64 holds an exact
 * enough intermediate that `fround` of a float64 `+ − · / √` of float32 operands is the correctly
 * rounded float32 result, which is what WebAssembly's `f32` and `f32x4` instructions compute.
 */
function evaluateF32(node: Expr, env: Record<string, number>): number {
  const [x, y, z] = children(node).map((child) => evaluateF32(child, env));
  switch (node.kind) {
    case 'ref':
      return env[node.name] as number;
    case 'const':
      return Math.fround(node.value);
    case 'unary':
      return Math.fround({ neg: -x!, abs: Math.abs(x!), sqrt: Math.sqrt(x!) }[node.op]);
    case 'binary':
      return Math.fround(
        {
          add: x! + y!,
          sub: x! - y!,
          mul: x! * y!,
          div: x! / y!,
          min: Math.min(x!, y!),
          max: Math.max(x!, y!),
        }[node.op],
      );
    case 'compare':
      return Number(
        { gt: x! > y!, lt: x! < y!, ge: x! >= y!, le: x! <= y! }[(node as BoolExpr).op],
      );
    case 'select':
      return x ? y! : z!;
  }
}

const SENTINEL = 1234.5;

/**
 * Runs the generated kernel on `n` elements of random buffers placed at 4-byte (not 16-byte)
 * aligned offsets, and returns each inout's bits after the call (with two sentinel elements past
 * the end) next to the float32 reference's.
 */
function runAgainstReference(
  kernel: { signature: KernelSignature; outputs: Record<string, Expr> },
  n: number,
  seed: number,
) {
  const { signature, outputs } = kernel;
  const buffers = [...signature.inouts, ...signature.inputs];
  const memory = new WebAssembly.Memory({ initial: 2 });
  const f32 = new Float32Array(memory.buffer);
  const u32 = new Uint32Array(memory.buffer);
  let state = seed;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return Math.fround((state / 2 ** 32) * 4 - 2);
  };
  const stride = n + 2 + 1; // two sentinels, then one more element so no offset is 16-byte aligned
  const start = (k: number) => 1 + k * stride;
  buffers.forEach((name, k) => {
    for (let i = 0; i < n; i++) f32[start(k) + i] = name === 'v' ? Math.abs(random()) : random();
    f32[start(k) + n] = SENTINEL;
    f32[start(k) + n + 1] = SENTINEL;
  });
  const scalarAt = start(buffers.length);
  const scalarValues = signature.scalars.map(() => random());
  scalarValues.forEach((value, j) => {
    f32[scalarAt + j] = value;
  });
  const uniformValues = signature.uniforms.map(() => Math.fround(0.5 + Math.abs(random())));

  const expected = signature.inouts.map((name) =>
    Array.from({ length: n + 2 }, (_, i) => {
      if (i >= n) return SENTINEL;
      const env: Record<string, number> = {};
      buffers.forEach((b, k) => {
        env[b] = f32[start(k) + i] as number;
      });
      signature.scalars.forEach((s, j) => {
        env[s] = scalarValues[j] as number;
      });
      signature.uniforms.forEach((u, j) => {
        env[u] = uniformValues[j] as number;
      });
      return evaluateF32(outputs[name] as Expr, env);
    }),
  );

  const module = new WebAssembly.Module(generateWasm(signature, outputs, false));
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  (exports[WASM_ENTRY] as (...args: number[]) => void)(
    n,
    ...buffers.map((_, k) => 4 * start(k)),
    ...signature.scalars.map((_, j) => 4 * (scalarAt + j)),
    ...uniformValues,
  );
  const bitsOf = (values: readonly number[]) =>
    Array.from(new Uint32Array(new Float32Array(values).buffer));
  return signature.inouts.map((name, k) => ({
    name,
    actual: Array.from(u32.subarray(start(k), start(k) + n + 2)),
    expected: bitsOf(expected[k] as number[]),
  }));
}

const SIZES = [0, 1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, 1000];

describe('generateWasm', () => {
  for (const [label, kernel] of [
    ['Adam with a clipping scalar', adamStep()],
    ['every operation', everyOp()],
  ] as const) {
    it(`${label}: bit-identical to a float32 reference at every n around the SIMD width, nothing written past n`, () => {
      for (const n of SIZES) {
        for (const { name, actual, expected } of runAgainstReference(kernel, n, 17 + n)) {
          expect(actual, `${name}, n = ${n}`).toEqual(expected);
        }
      }
    });
  }
});
