import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { forEachBackend } from '@descent/core/testing';
import { snapshot } from '@descent/core/testing';
import type { Params } from '@descent/core';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { chain } from '../transform/chain';
import { runUpdate } from '../transform/run-update';
import { applyUpdates } from '../transform/apply-updates';
import { disposeState, stateTensors, type TransformState } from '../transform/transform-state';
import { scaleByAdam } from './scale-by-adam';
import { scaleByLearningRate } from './scale-by-learning-rate';
import { scaleByMomentum } from './scale-by-momentum';
import { scaleByLion } from './scale-by-lion';
import { clipByGlobalNorm } from './clip-by-global-norm';
import { clipByBlockRms } from './clip-by-block-rms';
import { adaptiveClip } from './adaptive-clip';
import { scaleByTrustRatio } from './scale-by-trust-ratio';
import { addDecayedWeights } from './add-decayed-weights';
import { applyIfFinite } from './apply-if-finite';
import { adamw } from '../optimizers/adamw';

/** The README's "Non-finite gradients" policy, checked numerically: which elements turn NaN. */

const SIZE = 6;
/** The flat index of the one NaN gradient element (in `w`). */
const BAD = 2;

/** Runs `steps` steps with a NaN at `w[BAD]` in the first gradient only; returns the values. */
async function afterNaNStep(
  make: () => GradientTransformation,
  steps = 3,
): Promise<{ w: number[]; b: number[] }> {
  const w = tf.variable(tf.linspace(1, 2, SIZE));
  const b = tf.variable(tf.linspace(-1, -2, SIZE));
  const t = make();
  let state = t.init({ w, b });
  for (let step = 0; step < steps; step++) {
    const gw = tf.tidy(() => {
      const g = tf.linspace(0.5, 1.5, SIZE);
      return step === 0
        ? tf.where(tf.equal(tf.range(0, SIZE), BAD), tf.fill([SIZE], Number.NaN), g)
        : g;
    });
    const gb = tf.fill([SIZE], 0.25);
    const r = runUpdate(t, { w: gw, b: gb }, state, { w, b });
    applyUpdates({ w, b }, r.updates);
    state = r.state;
    tf.dispose([gw, gb, ...Object.values(r.updates)]);
  }
  const out = { w: Array.from(await w.data()), b: Array.from(await b.data()) };
  disposeState(state);
  tf.dispose([w, b]);
  return out;
}

function nanIndices(values: number[]): number[] {
  return values.flatMap((v, i) => (Number.isNaN(v) ? [i] : []));
}

forEachBackend(
  'non-finite gradients',
  () => {
    const elementWise: [string, () => GradientTransformation][] = [
      ['adam', () => chain(scaleByAdam(), scaleByLearningRate(0.1))],
      ['sgd', () => scaleByLearningRate(0.1)],
      ['sgd with momentum', () => chain(scaleByMomentum(), scaleByLearningRate(0.1))],
      ['lion', () => chain(scaleByLion(), scaleByLearningRate(0.1))],
      ['adamw', () => chain(scaleByAdam(), addDecayedWeights(0.01), scaleByLearningRate(0.1))],
    ];
    for (const [name, make] of elementWise) {
      it(`${name}: one NaN gradient element poisons that element only, for good`, async () => {
        const { w, b } = await afterNaNStep(make);
        expect(nanIndices(w)).toEqual([BAD]);
        expect(nanIndices(b)).toEqual([]);
      });
    }

    it('regression: lion no longer freezes the element silently (sign of NaN is NaN)', async () => {
      const { w } = await afterNaNStep(() => chain(scaleByLion(), scaleByLearningRate(0.1)), 1);
      expect(Number.isNaN(w[BAD])).toBe(true);
    });

    const mixing: [string, () => GradientTransformation][] = [
      [
        'clipByGlobalNorm',
        () => chain(clipByGlobalNorm(0.1), scaleByAdam(), scaleByLearningRate(0.1)),
      ],
      ['clipByBlockRms', () => chain(clipByBlockRms(0.1), scaleByLearningRate(0.1))],
      ['adaptiveClip', () => chain(adaptiveClip(0.01), scaleByLearningRate(0.1))],
      ['scaleByTrustRatio', () => chain(scaleByTrustRatio(), scaleByLearningRate(0.1))],
    ];
    for (const [name, make] of mixing) {
      it(`regression: ${name} no longer spreads one NaN element to every parameter`, async () => {
        const { w, b } = await afterNaNStep(make);
        expect(nanIndices(w)).toEqual([BAD]);
        expect(nanIndices(b)).toEqual([]);
      });
    }

    it('regression: adamw({ globalClipNorm }) no longer turns every parameter NaN from one NaN element', async () => {
      const w = tf.variable(tf.linspace(1, 2, SIZE), true, `nan-w-${Math.random()}`);
      const b = tf.variable(tf.linspace(-1, -2, SIZE), true, `nan-b-${Math.random()}`);
      const opt = adamw({ learningRate: 0.1, weightDecay: 0.01, globalClipNorm: 0.1 });
      for (let step = 0; step < 3; step++) {
        const gw = tf.tidy(() => {
          const g = tf.linspace(0.5, 1.5, SIZE);
          const nan = tf.fill([SIZE], Number.NaN);
          return step === 0 ? tf.where(tf.equal(tf.range(0, SIZE), BAD), nan, g) : g;
        });
        const gb = tf.fill([SIZE], 0.25);
        opt.applyGradients({ [w.name]: gw, [b.name]: gb });
        tf.dispose([gw, gb]);
      }
      expect(nanIndices(Array.from(await w.data()))).toEqual([BAD]);
      expect(nanIndices(Array.from(await b.data()))).toEqual([]);
      opt.dispose();
      tf.dispose([w, b]);
    });

    it('clipByGlobalNorm leaves the updates of a step with an infinite norm unclipped', async () => {
      const t = clipByGlobalNorm(1);
      const g = tf.tensor1d([Number.POSITIVE_INFINITY, 3, -4]);
      const r = runUpdate(t, { w: g }, t.init({}));
      expect(Array.from(await (r.updates.w as tf.Tensor).data())).toEqual([
        Number.POSITIVE_INFINITY,
        3,
        -4,
      ]);
      tf.dispose([g, r.updates.w as tf.Tensor]);
    });

    it('applyIfFinite skips the step: params and inner state stay bit-identical', async () => {
      const w = tf.variable(tf.linspace(1, 2, SIZE));
      const t = applyIfFinite(chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(0.1)));
      let state: TransformState = t.init({ w });
      const good = tf.fill([SIZE], 0.5);
      const first = runUpdate(t, { w: good }, state, { w });
      applyUpdates({ w }, first.updates);
      state = first.state;
      tf.dispose(Object.values(first.updates));
      const innerBefore = await snapshot([...stateTensors(state.inner[0] as TransformState)]);
      const wBefore = await snapshot(w);
      const bad = tf.tidy(() =>
        tf.where(
          tf.equal(tf.range(0, SIZE), BAD),
          tf.fill([SIZE], Number.NaN),
          tf.fill([SIZE], 0.5),
        ),
      );
      const skipped = runUpdate(t, { w: bad }, state, { w });
      applyUpdates({ w }, skipped.updates as Params);
      expect(await snapshot(w)).toEqual(wBefore);
      expect(await snapshot([...stateTensors(skipped.state.inner[0] as TransformState)])).toEqual(
        innerBefore,
      );
      const skippedCount = skipped.state.slots.w?.skipped as tf.Tensor;
      expect(Array.from(await skippedCount.data())).toEqual([1]);
      tf.dispose([good, bad, w, ...Object.values(skipped.updates)]);
      disposeState(skipped.state);
    });
  },
  { backends: ['cpu', 'wasm'] },
);
