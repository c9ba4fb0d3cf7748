import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { isDescentError } from '../errors/descent-error';
import { expectClose } from '../testing/expect-close';
import { expectDescentError } from '../testing/expect-descent-error';
import { expectNoLeaks } from '../testing/expect-no-leaks';
import { forEachBackend } from '../testing/for-each-backend';
import { defineKernel } from './define-kernel';

/**
 * A kernel that uses every operation of the expression language, two inouts whose rules read each
 * other's old values, a shared sub-expression and literals — checked against a float64 reference.
 */
const everyOp = defineKernel({
  name: 'test.everyOp',
  inouts: ['a', 'b'],
  inputs: ['g'],
  uniforms: ['s', 't'],
  update: ({ a, b, g, s, t }, o) => {
    const shared = o.add(o.mul(s, g), 0.5);
    return {
      a: o.select(o.gt(g, 0), o.sqrt(o.add(o.abs(a), shared)), o.max(o.min(a, b), o.neg(t))),
      b: o.select(
        o.le(b, a),
        o.div(o.sub(b, shared), o.add(o.mul(g, g), 1)),
        o.select(o.ge(g, t), b, o.neg(b)),
      ),
    };
  },
  reference: ({ a, b }, { g }, { s, t }) => {
    const shared = tf.add(tf.mul(tf.scalar(s), g), 0.5);
    return {
      a: tf.where(
        tf.greater(g, 0),
        tf.sqrt(tf.add(tf.abs(a), shared)),
        tf.maximum(tf.minimum(a, b), tf.scalar(-t)),
      ),
      b: tf.where(
        tf.lessEqual(b, a),
        tf.div(tf.sub(b, shared), tf.add(tf.mul(g, g), 1)),
        tf.where(tf.greaterEqual(g, tf.scalar(t)), b, tf.neg(b)),
      ),
    };
  },
});

function float64Reference(a: number[], b: number[], g: number[], s: number, t: number) {
  const f = Math.fround;
  const outA: number[] = [];
  const outB: number[] = [];
  a.forEach((ai, i) => {
    const bi = b[i]!;
    const gi = g[i]!;
    const shared = f(s) * gi + 0.5;
    outA.push(gi > 0 ? Math.sqrt(Math.abs(ai) + shared) : Math.max(Math.min(ai, bi), -f(t)));
    outB.push(bi <= ai ? (bi - shared) / (gi * gi + 1) : gi >= f(t) ? bi : -bi);
  });
  return { a: outA, b: outB };
}

const data = (n: number, k: number) =>
  Array.from({ length: n }, (_, i) => Math.fround(Math.sin(i * k + k) * 2));

forEachBackend('defineKernel: every operation of the expression language', () => {
  it('matches a float64 reference for sizes around the SIMD width (rtol 1e-5)', async () => {
    for (const n of [1, 2, 5, 8, 67]) {
      const [a0, b0, g0] = [data(n, 1.3), data(n, 0.7), data(n, 2.9)];
      const a = tf.variable(tf.tensor(a0));
      const b = tf.variable(tf.tensor(b0));
      const g = tf.tensor(g0);
      await expectNoLeaks(() => everyOp({ a, b }, { g }, { s: 0.3, t: 0.2 }));
      const expected = float64Reference(a0, b0, g0, 0.3, 0.2);
      await expectClose(a, expected.a, { rtol: 1e-5, atol: 1e-6 });
      await expectClose(b, expected.b, { rtol: 1e-5, atol: 1e-6 });
      tf.dispose([a, b, g]);
    }
  });

  it('rejects unknown names, missing inputs and the same variable twice, changing nothing', async () => {
    const a = tf.variable(tf.tensor([1, 2]));
    const b = tf.variable(tf.tensor([3, 4]));
    const g = tf.tensor([1, 1]);
    const codeOf = (call: () => unknown) => {
      try {
        call();
      } catch (e) {
        return isDescentError(e) ? e.code : String(e);
      }
      return 'no error';
    };
    expect(codeOf(() => everyOp({ a, b }, { g }, { s: 1, t: 1, lr: 2 } as never))).toBe(
      'UNKNOWN_PARAM',
    );
    expect(codeOf(() => everyOp({ a, b }, {} as never, { s: 1, t: 1 }))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => everyOp({ a, b: a }, { g }, { s: 1, t: 1 }))).toBe('BAD_ARGUMENT');
    expect(codeOf(() => everyOp({ a, b }, { g }, { s: Number.POSITIVE_INFINITY, t: 1 }))).toBe(
      'NON_FINITE',
    );
    expect(codeOf(() => everyOp({ a, b }, { g }, { s: '1' as never, t: 1 }))).toBe(
      'BAD_HYPERPARAM',
    );
    await expectClose(a, [1, 2], { rtol: 0, atol: 0 });
    await expectClose(b, [3, 4], { rtol: 0, atol: 0 });
    tf.dispose([a, b, g]);
  });

  it('positional: a wrong number of buffers is BAD_ARGUMENT naming the counts, changing nothing', async () => {
    const a = tf.variable(tf.tensor([1, 2]));
    const b = tf.variable(tf.tensor([3, 4]));
    const g = tf.tensor([1, 1]);
    const wrong = [
      () => everyOp.positional([a], [g], [1, 1]),
      () => everyOp.positional([a, b], [g, g], [1, 1]),
      () => everyOp.positional([a, b], [g], [1, 1, 1]),
      () => everyOp.positional([a, b], undefined as never, [1, 1]),
    ];
    for (const call of wrong) {
      expectDescentError(call, 'BAD_ARGUMENT', '2 variables (a, b), 1 read tensors (g)');
    }
    expectDescentError(() => everyOp.positional([a, b], [g], [1, Number.NaN]), 'NON_FINITE', 't');
    await expectClose(a, [1, 2], { rtol: 0, atol: 0 });
    await expectClose(b, [3, 4], { rtol: 0, atol: 0 });
    tf.dispose([a, b, g]);
  });
});

describe('defineKernel definitions', () => {
  it('generates a valid WebAssembly module (plain and shared memory) and readable WGSL', () => {
    expect(WebAssembly.validate(everyOp.wasm(false))).toBe(true);
    expect(WebAssembly.validate(everyOp.wasm(true))).toBe(true);
    const wgsl = everyOp.wgsl();
    expect(wgsl).toContain('var<storage, read_write> b_a: array<f32>;');
    expect(wgsl).toContain('var<storage, read> b_g: array<f32>;');
    expect(wgsl).toContain('struct Uniforms { n: u32, u_s: f32, u_t: f32, }');
    const wide = everyOp.wgsl(4);
    expect(wide).toContain('var<storage, read_write> b_a: array<vec4<f32>>;');
    expect(wide).toContain('vec4<f32>(u.u_s)');
  });

  it('rejects a duplicate name and non-identifier buffer names', () => {
    const define = (name: string, inouts: string[]) => () =>
      defineKernel({
        name,
        inouts,
        inputs: [],
        uniforms: [],
        update: (r) => r,
        reference: (x) => x,
      });
    expect(define('test.everyOp', ['a'])).toThrow(/already defined/);
    expect(define('test.bad', ['not-an-identifier'])).toThrow(/identifiers/);
  });
});

/** `p ← p − (c·s)·g` and `q ← max(q, c)`, with `c` a one-element tensor read on the device. */
const scaledByDeviceScalar = defineKernel({
  name: 'test.scaledByDeviceScalar',
  inouts: ['p', 'q'],
  inputs: ['g'],
  scalars: ['c'],
  uniforms: ['s'],
  update: ({ p, q, g, c, s }, o) => ({ p: o.sub(p, o.mul(o.mul(c, s), g)), q: o.max(q, c) }),
  reference: ({ p, q }, { g, c }, { s }) => ({
    p: tf.sub(p, tf.mul(tf.mul(c, s), g)),
    q: tf.maximum(q, c),
  }),
});

forEachBackend('defineKernel: scalar inputs read on the device', () => {
  it('broadcasts a one-element tensor computed by earlier ops (sizes 1 … 67, rtol 1e-6)', async () => {
    for (const n of [1, 3, 4, 8, 67]) {
      const [p0, q0, g0] = [data(n, 1.1), data(n, 0.4), data(n, 2.3)];
      const p = tf.variable(tf.tensor(p0));
      const q = tf.variable(tf.tensor(q0));
      const g = tf.tensor(g0);
      const c = tf.tidy(() => tf.sqrt(tf.sum(tf.square(tf.tensor([0.3, 0.4]))))); // 0.5, on device
      const c1 = tf.reshape(c, [1]);
      await expectNoLeaks(() => scaledByDeviceScalar({ p, q }, { g, c }, { s: 0.7 }));
      await expectNoLeaks(() => scaledByDeviceScalar({ p, q }, { g, c: c1 }, { s: 0.7 }));
      const f = Math.fround;
      const c64 = f(0.5);
      await expectClose(
        p,
        p0.map((x, i) => x - 2 * c64 * f(0.7) * g0[i]!),
        { rtol: 1e-6, atol: 1e-6 },
      );
      await expectClose(
        q,
        q0.map((x) => Math.max(x, c64)),
        { rtol: 0, atol: 0 },
      );
      tf.dispose([p, q, g, c, c1]);
    }
  });

  it('rejects a scalar input with more than one element (SHAPE_MISMATCH), changing nothing', async () => {
    const p = tf.variable(tf.tensor([1, 2]));
    const q = tf.variable(tf.tensor([3, 4]));
    const g = tf.tensor([1, 1]);
    const c = tf.tensor([1, 2]);
    expect(() => scaledByDeviceScalar({ p, q }, { g, c }, { s: 1 })).toThrow(
      /scalar input c has shape \[2\]/,
    );
    await expectClose(p, [1, 2], { rtol: 0, atol: 0 });
    tf.dispose([p, q, g, c]);
  });
});

/** `w ← w − s·g`, to rewrite weights in place between two uses of them. */
const subtractInPlace = defineKernel({
  name: 'test.subtractInPlace',
  inouts: ['w'],
  inputs: ['g'],
  uniforms: ['s'],
  update: ({ w, g, s }, o) => ({ w: o.sub(w, o.mul(s, g)) }),
  reference: ({ w }, { g }, { s }) => ({ w: tf.sub(w, tf.mul(g, s)) }),
});

forEachBackend('defineKernel: ops that cache derived weights see in-place writes', () => {
  it('matMul, fused matMul and conv2d after in-place writes equal the same ops on fresh copies', async () => {
    // tfjs-backend-wasm's XNNPACK operators pack a weight tensor and reuse the packing by id.
    const x = tf.randomNormal([8, 64], 0, 1, 'float32', 1);
    const dy = tf.randomNormal([8, 32], 0, 1, 'float32', 2);
    const w = tf.variable(tf.randomNormal([64, 32], 0, 1, 'float32', 3));
    const bias = tf.randomNormal([32], 0, 1, 'float32', 4);
    const img = tf.randomNormal([1, 6, 6, 3], 0, 1, 'float32', 5);
    const k = tf.variable(tf.randomNormal([3, 3, 3, 2], 0, 1, 'float32', 6));
    const uses: ((weights: tf.Tensor, kernel: tf.Tensor) => tf.Tensor)[] = [
      (weights) => tf.matMul(x, weights),
      (weights) => tf.matMul(dy, weights, false, true),
      (weights) => tf.fused.matMul({ a: x, b: weights as tf.Tensor2D, bias, activation: 'relu' }),
      (_, kernel) => tf.conv2d(img as tf.Tensor4D, kernel as tf.Tensor4D, 1, 'same'),
    ];
    for (const use of uses) {
      tf.dispose(use(w, k)); // operators made (and cached) for w and k
      tf.tidy(() => {
        subtractInPlace({ w }, { g: tf.onesLike(w) }, { s: 0.5 });
        subtractInPlace({ w: k }, { g: tf.onesLike(k) }, { s: 0.25 });
      });
      const [y, yFresh] = tf.tidy(() => [use(w, k), use(tf.add(w, 0), tf.add(k, 0))]);
      await expectClose(y as tf.Tensor, yFresh as tf.Tensor, { rtol: 1e-6, atol: 1e-6 });
      tf.dispose([y as tf.Tensor, yFresh as tf.Tensor]);
    }
    tf.dispose([x, dy, w, bias, img, k]);
  });
});
