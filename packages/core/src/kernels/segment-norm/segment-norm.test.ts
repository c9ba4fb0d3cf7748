import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { isDescentError } from '../../errors/descent-error';
import { Rng } from '../../rng/rng';
import { expectClose } from '../../testing/expect-close';
import { expectNoLeaks } from '../../testing/expect-no-leaks';
import { forEachBackend } from '../../testing/for-each-backend';
import { segmentNorm, segmentNormLastRun, segmentNormPath } from './segment-norm';
import type { SegmentNormLayout } from './segment-norm-layout';
import { generateSegmentNormWasm } from './segment-norm-wasm-module';

const FUSED = { cpu: 'reference', wasm: 'wasm-simd', webgpu: 'webgpu' } as const;

interface Case {
  title: string;
  layout: SegmentNormLayout;
  epsilon: number;
}

const layout = (outer: number, spatial: number, groups: number, groupSize: number) => ({
  outer,
  spatial,
  groups,
  groupSize,
});

const CASES: Case[] = [
  { title: 'layer norm, odd L = 7', layout: layout(5, 1, 1, 7), epsilon: 1e-3 },
  { title: 'layer norm, L = 16 (L % 4 = 0)', layout: layout(3, 1, 1, 16), epsilon: 1e-5 },
  { title: 'L = 3, 5, 9 around the SIMD width', layout: layout(2, 2, 3, 5), epsilon: 1e-3 },
  { title: 'L = 4 exactly one vector', layout: layout(2, 3, 2, 4), epsilon: 0.01 },
  { title: 'L = 9 one vector past two', layout: layout(2, 2, 1, 9), epsilon: 0.01 },
  { title: 'group norm NHWC S = 9, G = 2, L = 4', layout: layout(2, 9, 2, 4), epsilon: 1e-3 },
  { title: 'a single segment', layout: layout(1, 5, 1, 6), epsilon: 1e-3 },
  { title: 'group norm G = 1 (C = 6)', layout: layout(2, 4, 1, 6), epsilon: 1e-3 },
  { title: 'group norm G = C (L = 1, instance norm)', layout: layout(2, 4, 6, 1), epsilon: 1e-3 },
  { title: 'long segments (> one workgroup of 256)', layout: layout(2, 1, 1, 600), epsilon: 1e-5 },
  { title: 'group norm S·L = 640 with L = 3 (scalar)', layout: layout(2, 64, 2, 3), epsilon: 1e-3 },
];

const sample = (n: number, seed: number, scale = 1, offset = 0) =>
  new Rng(seed).normalArray(n, offset, scale);

/** Float64 closed form of forward and backward, from the equations (not from tfjs). */
function closedForm(
  x: Float32Array,
  gamma: Float32Array,
  beta: Float32Array,
  dy: Float32Array,
  l: SegmentNormLayout,
  epsilon: number,
) {
  const { outer: A, spatial: S, groups: B, groupSize: L } = l;
  const C = B * L;
  const n = S * L;
  const y = new Float64Array(x.length);
  const dx = new Float64Array(x.length);
  const dGamma = new Float64Array(C);
  const dBeta = new Float64Array(C);
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) {
      const idx: number[] = [];
      for (let s = 0; s < S; s++)
        for (let j = 0; j < L; j++) idx.push(((a * S + s) * B + b) * L + j);
      const mu = idx.reduce((p, i) => p + (x[i] as number), 0) / n;
      const variance = idx.reduce((p, i) => p + ((x[i] as number) - mu) ** 2, 0) / n;
      const rstd = 1 / Math.sqrt(variance + epsilon);
      let s1 = 0;
      let s2 = 0;
      for (const i of idx) {
        const c = i % C;
        const xh = ((x[i] as number) - mu) * rstd;
        y[i] = xh * (gamma[c] as number) + (beta[c] as number);
        const g = (dy[i] as number) * (gamma[c] as number);
        s1 += g;
        s2 += g * xh;
        dGamma[c] = (dGamma[c] as number) + (dy[i] as number) * xh;
        dBeta[c] = (dBeta[c] as number) + (dy[i] as number);
      }
      for (const i of idx) {
        const c = i % C;
        const xh = ((x[i] as number) - mu) * rstd;
        const g = (dy[i] as number) * (gamma[c] as number);
        dx[i] = rstd * (g - s1 / n - (xh * s2) / n);
      }
    }
  }
  return { y, dx, dGamma, dBeta };
}

const maxAbs = (a: ArrayLike<number>) =>
  Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

/** rtol 1e-5, and an atol of 1e-5 of the largest magnitude (cancellation in dx). */
const tolerance = (expected: ArrayLike<number>) => ({ rtol: 1e-5, atol: 1e-5 * maxAbs(expected) });

forEachBackend('segmentNorm', (backend) => {
  it(`takes the ${FUSED[backend]} path`, () => {
    expect(segmentNormPath()).toBe(FUSED[backend]);
  });

  for (const { title, layout: l, epsilon } of CASES) {
    it(`${title}: forward and the x, γ, β gradients equal the reference and the float64 closed form`, async () => {
      const size = l.outer * l.spatial * l.groups * l.groupSize;
      const C = l.groups * l.groupSize;
      const x0 = sample(size, 1, 1.7, 0.6);
      const g0 = sample(C, 2, 0.4, 1);
      const b0 = sample(C, 3, 0.5);
      const c0 = sample(size, 4);
      const expected = closedForm(x0, g0, b0, c0, l, epsilon);
      const shape = [l.outer, l.spatial, C];
      await expectNoLeaks(async () => {
        const x = tf.tensor(x0, shape);
        const gamma = tf.tensor(g0);
        const beta = tf.tensor(b0);
        const cot = tf.tensor(c0, shape);
        const run = (path: 'auto' | 'reference') => {
          const f = (xs: tf.Tensor, gs: tf.Tensor, bs: tf.Tensor) =>
            tf.sum(tf.mul(segmentNorm(xs, gs, bs, l, epsilon, { path }), cot));
          const { value, grads } = tf.valueAndGrads(f)([x, gamma, beta]);
          const y = segmentNorm(x, gamma, beta, l, epsilon, { path });
          return { value, y, grads };
        };
        const fused = run('auto');
        // The fused hosts really ran (they fall back silently when a tensor is elsewhere).
        expect(segmentNormLastRun.forward).toBe(FUSED[backend]);
        expect(segmentNormLastRun.backward).toBe(backend === 'cpu' ? null : FUSED[backend]);
        const ref = run('reference');
        await expectClose(fused.y, expected.y, tolerance(expected.y));
        await expectClose(fused.y, ref.y, tolerance(expected.y));
        const names = ['dx', 'dGamma', 'dBeta'] as const;
        for (const [k, name] of names.entries()) {
          const e = expected[name];
          await expectClose(fused.grads[k] as tf.Tensor, e, tolerance(e));
          await expectClose(fused.grads[k] as tf.Tensor, ref.grads[k] as tf.Tensor, tolerance(e));
        }
        tf.dispose([x, gamma, beta, cot, fused.value, fused.y, ref.value, ref.y]);
        tf.dispose([...fused.grads, ...ref.grads]);
      });
    });
  }

  it('without γ and β: scale 1, shift 0, and a gradient for x only', async () => {
    const l = layout(3, 2, 2, 4);
    const x0 = sample(48, 5, 2, -1);
    const c0 = sample(48, 6);
    const expected = closedForm(x0, new Float32Array(8).fill(1), new Float32Array(8), c0, l, 1e-3);
    await expectNoLeaks(async () => {
      const x = tf.tensor(x0, [3, 2, 8]);
      const cot = tf.tensor(c0, [3, 2, 8]);
      const y = segmentNorm(x, undefined, undefined, l, 1e-3);
      const dx = tf.grad((xs: tf.Tensor) =>
        tf.sum(tf.mul(segmentNorm(xs, undefined, undefined, l, 1e-3), cot)),
      )(x);
      await expectClose(y, expected.y, tolerance(expected.y));
      await expectClose(dx, expected.dx, tolerance(expected.dx));
      tf.dispose([x, cot, y, dx]);
    });
  });

  it('with only β (γ omitted) gives gradients for x and β', async () => {
    const l = layout(2, 1, 1, 12);
    const x0 = sample(24, 7);
    const b0 = sample(12, 8);
    const c0 = sample(24, 9);
    const expected = closedForm(x0, new Float32Array(12).fill(1), b0, c0, l, 1e-3);
    await expectNoLeaks(async () => {
      const x = tf.tensor(x0, [2, 12]);
      const beta = tf.tensor(b0);
      const cot = tf.tensor(c0, [2, 12]);
      const [dx, dBeta] = tf.grads((xs: tf.Tensor, bs: tf.Tensor) =>
        tf.sum(tf.mul(segmentNorm(xs, undefined, bs, l, 1e-3), cot)),
      )([x, beta]);
      await expectClose(dx as tf.Tensor, expected.dx, tolerance(expected.dx));
      await expectClose(dBeta as tf.Tensor, expected.dBeta, tolerance(expected.dBeta));
      tf.dispose([x, beta, cot, dx as tf.Tensor, dBeta as tf.Tensor]);
    });
  });

  it('leaves every input untouched and a constant segment normalizes to β', async () => {
    const l = layout(2, 1, 2, 4);
    const x0 = Float32Array.from({ length: 16 }, (_, i) => (i < 4 ? 3 : i * 0.5));
    const x = tf.tensor(x0, [2, 8]);
    const beta = tf.tensor(sample(8, 10));
    const y = segmentNorm(x, undefined, beta, l, 1e-3);
    await expectClose(x, x0, { rtol: 0, atol: 0 });
    const yv = await y.data();
    const bv = await beta.data();
    for (let j = 0; j < 4; j++) expect(yv[j]).toBe(bv[j]);
    tf.dispose([x, beta, y]);
  });
});

it('segmentNorm rejects bad layouts, parameters and ε before computing anything', () => {
  const x = tf.zeros([2, 3, 4]);
  const g = tf.ones([3]);
  const before = tf.memory().numTensors;
  const code = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      expect(isDescentError(e)).toBe(true);
      return (e as { code: string; message: string }).code;
    }
    return 'no error';
  };
  expect(code(() => segmentNorm(x, undefined, undefined, layout(2, 3, 1, 3), 1e-3))).toBe(
    'SHAPE_MISMATCH',
  );
  expect(code(() => segmentNorm(x, g, undefined, layout(2, 3, 1, 4), 1e-3))).toBe('SHAPE_MISMATCH');
  expect(code(() => segmentNorm(x, undefined, undefined, layout(2, 3, 0.5, 8), 1e-3))).toBe(
    'BAD_ARGUMENT',
  );
  expect(code(() => segmentNorm(x, undefined, undefined, layout(2, 3, 1, 4), 0))).toBe(
    'BAD_HYPERPARAM',
  );
  expect(
    code(() =>
      segmentNorm(x, undefined, undefined, layout(2, 3, 1, 4), 1e-3, { fast: 1 } as never),
    ),
  ).toBe('UNKNOWN_PARAM');
  expect(tf.memory().numTensors).toBe(before);
  tf.dispose([x, g]);
});

it('the generated module validates as WebAssembly (SIMD)', () => {
  expect(WebAssembly.validate(generateSegmentNormWasm(false))).toBe(true);
});
