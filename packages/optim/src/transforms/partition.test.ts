import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import type { ParamInfo } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { chain } from '../transform/chain';
import { runUpdate } from '../transform/run-update';
import { disposeState } from '../transform/transform-state';
import { fromTransform } from '../optimizers/transform-optimizer';
import {
  expectMatchesReference,
  type ReferenceStep,
  uniqueSuffix,
} from '../test-support/optimizer-harness';
import { expectResumes } from '../test-support/resume-harness';
import { ema } from './ema';
import { partition } from './partition';
import { scaleByAdam } from './scale-by-adam';
import { scaleByLearningRate } from './scale-by-learning-rate';

const adamGroup = () => chain(scaleByAdam({ beta1: 0.8, beta2: 0.95 }), scaleByLearningRate(0.03));
const emaGroup = () => chain(ema(0.5), scaleByLearningRate(0.1));
const sgdGroup = () => scaleByLearningRate(0.2);

/**
 * The harness' params: kernel → Adam (lr 0.03, β 0.8/0.95), bias → debiased EMA SGD (lr 0.1,
 * decay 0.5), the scalar `scale` → SGD 0.2, or the EMA group when `scalarWithBias`.
 */
function groupsReference(scalarWithBias = false): ReferenceStep {
  const m: Float64Array[] = [];
  const v: Float64Array[] = [];
  return (values, grads, step) => {
    const t = step + 1;
    values.forEach((theta, k) => {
      const g = grads[k] as Float64Array;
      m[k] ??= new Float64Array(theta.length);
      v[k] ??= new Float64Array(theta.length);
      const mk = m[k] as Float64Array;
      const vk = v[k] as Float64Array;
      for (let i = 0; i < theta.length; i++) {
        const gi = g[i] as number;
        let u: number;
        if (k === 0) {
          mk[i] = 0.8 * (mk[i] as number) + 0.2 * gi;
          vk[i] = 0.95 * (vk[i] as number) + 0.05 * gi * gi;
          u =
            (0.03 * ((mk[i] as number) / (1 - 0.8 ** t))) /
            (Math.sqrt((vk[i] as number) / (1 - 0.95 ** t)) + 1e-8);
        } else if (k === 1 || scalarWithBias) {
          mk[i] = 0.5 * (mk[i] as number) + 0.5 * gi;
          u = (0.1 * (mk[i] as number)) / (1 - 0.5 ** t);
        } else {
          u = 0.2 * gi;
        }
        theta[i] = (theta[i] as number) - u;
      }
    });
  };
}

forEachBackend('partition', () => {
  it('routes by role (inferred), RegExp and default; matches the per-group float64 references over 6 steps', async () => {
    await expectMatchesReference(
      () =>
        fromTransform(
          partition(
            [
              { match: { role: 'weight' }, transform: adamGroup() },
              { match: /\/bias$/, transform: emaGroup() },
            ],
            { default: sgdGroup() },
          ),
        ),
      groupsReference(),
    );
  });

  it('routes by predicate and inferred roles (a rank-0 "scale" infers as a bias, timm-style)', async () => {
    await expectMatchesReference(
      () =>
        fromTransform(
          partition([
            {
              match: (name, p) => name.endsWith('/kernel') && p.rank === 2,
              transform: adamGroup(),
            },
            { match: { role: ['bias', 'shift'] }, transform: emaGroup() },
            { match: /./, transform: sgdGroup() },
          ]),
        ),
      groupsReference(true),
    );
  });

  it('resumes exactly from getWeights/setWeights', async () => {
    await expectResumes(() =>
      fromTransform(
        partition([{ match: { role: 'weight' }, transform: adamGroup() }], {
          default: emaGroup(),
        }),
      ),
    );
  });

  it('leaks nothing over 100 steps and after dispose()', async () => {
    const s = uniqueSuffix();
    const a = tf.variable(tf.tensor([[2, 4]]), true, `pa${s}/kernel`);
    const b = tf.variable(tf.tensor([1]), true, `pa${s}/bias`);
    await expectNoLeaks(() => {
      const opt = fromTransform(
        partition([{ match: { role: 'bias' }, transform: emaGroup() }], { default: adamGroup() }),
      );
      const loss = () => tf.add(tf.sum(tf.square(a)), tf.sum(tf.square(b))) as tf.Scalar;
      for (let i = 0; i < 100; i++) opt.minimize(loss, false, [a, b]);
      opt.dispose();
    });
    tf.dispose([a, b]);
  });
});

it('partition keeps one inner state per group, runs only groups with parameters, uses info roles', async () => {
  await tf.setBackend('cpu');
  const info: Record<string, ParamInfo> = {
    g: { role: 'scale', layer: 'ln', layout: 'vector', fanIn: 2, fanOut: 2 },
  };
  const t = partition(
    [
      { match: 'w', transform: scaleByLearningRate(1) },
      { match: { role: 'scale' }, transform: scaleByLearningRate(2) },
      { match: ['x', 'y'], transform: scaleByLearningRate(4) },
    ],
    { default: scaleByLearningRate(3), info },
  );
  const u = {
    w: tf.tensor([1, 1]),
    g: tf.tensor([1, 1]),
    other: tf.tensor([1]),
    y: tf.tensor([1]),
  };
  let state = t.init({});
  expect(state.inner.map((s) => s.scalars.count)).toEqual([0, 0, 0, 0]);
  const r1 = runUpdate(t, u, state);
  expect(Object.keys(r1.updates)).toEqual(['w', 'g', 'other', 'y']);
  await expectClose(r1.updates.y as tf.Tensor, [-4]);
  await expectClose(r1.updates.w as tf.Tensor, [-1, -1]);
  await expectClose(r1.updates.g as tf.Tensor, [-2, -2]);
  await expectClose(r1.updates.other as tf.Tensor, [-3]);
  const r2 = runUpdate(t, { w: u.w }, r1.state);
  state = r2.state;
  expect(state.inner.map((s) => s.scalars.count)).toEqual([2, 1, 1, 1]);
  tf.dispose([...Object.values(u), ...Object.values(r1.updates), ...Object.values(r2.updates)]);
  disposeState(state);
});

it('partition throws UNKNOWN_PARAM for an unmatched parameter without default, before any change', async () => {
  await tf.setBackend('cpu');
  const s = uniqueSuffix();
  const a = tf.variable(tf.tensor([1, 2]), true, `pu${s}/kernel`);
  const b = tf.variable(tf.tensor([3]), true, `pu${s}/other`);
  const opt = fromTransform(partition([{ match: /kernel$/, transform: adamGroup() }]));
  const before = tf.memory().numTensors;
  expect(() => opt.applyGradients({ [a.name]: tf.ones([2]), [b.name]: tf.ones([1]) })).toThrow(
    expect.objectContaining({ code: 'UNKNOWN_PARAM', message: expect.stringContaining('other') }),
  );
  expect(tf.memory().numTensors).toBe(before + 2); // the two gradients above, nothing else
  await expectClose(a, [1, 2]);
  const names = (await opt.getWeights()).map((w) => w.name);
  expect(names.filter((n) => n !== 'iter' && !n.startsWith('__descent__/'))).toEqual([]); // no slots
  opt.dispose();
  tf.dispose([a, b]);
});

it('partition rejects malformed groups', () => {
  const ok = scaleByLearningRate(1);
  expect(() => partition({} as never)).toThrow(expect.objectContaining({ code: 'BAD_ARGUMENT' }));
  expect(() => partition([{ match: 3 as never, transform: ok }])).toThrow(/groups\[0\]\.match/);
  expect(() => partition([{ match: 'a', transform: {} as never }])).toThrow(
    /groups\[0\]\.transform/,
  );
  expect(() => partition([{ match: { role: 'kernel' as never }, transform: ok }])).toThrow(
    /unknown role "kernel"/,
  );
  expect(() => partition([{ match: ['a', 1 as never], transform: ok }])).toThrow(/match\[1\]/);
  expect(() => partition([], { default: 5 as never })).toThrow(/default/);
  expect(() => partition([], { info: { a: { role: 'weight' } as never } })).toThrow(
    expect.objectContaining({ code: 'BAD_ARGUMENT' }),
  );
  const bad = partition([{ match: () => 1 as never, transform: ok }]);
  const u = { a: tf.ones([1]) };
  expect(() => bad.update(u, bad.init({}))).toThrow(/must return a boolean/);
  tf.dispose(Object.values(u));
});
