import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import type { HyperParameter } from '@descent/core';
import {
  expectClose,
  expectDescentError,
  expectNoLeaks,
  forEachBackend,
} from '@descent/core/testing';
import { namedChain, relayoutState } from '../transform/named-chain';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { scaleByMomentum } from '../transforms/scale-by-momentum';
import { scaleBySign } from '../transforms/scale-by-sign';
import { uniqueSuffix } from '../test-support/optimizer-harness';
import { adafactor } from './adafactor';
import { defineOptimizer, type NamedOptimizer } from './named-optimizer';
import { DECAY_RATE, hyperOption, NON_NEGATIVE, numberOption } from './optimizer-description';

/** The README's example: Signum, the sign of heavy-ball momentum. */
interface SignumOptions {
  learningRate?: HyperParameter;
  momentum?: number;
}
const Signum = defineOptimizer<SignumOptions>({
  name: 'signum',
  className: 'test.Signum',
  options: {
    learningRate: hyperOption(1e-3, NON_NEGATIVE),
    momentum: numberOption(0.9, DECAY_RATE),
  },
  chain: ({ learningRate, momentum }) => ({
    momentum: scaleByMomentum({ momentum }),
    sign: scaleBySign(),
    learningRate: scaleByLearningRate(learningRate),
  }),
});

/** Signum in float64: b ← g (first step) or μb + g; θ ← θ − η·sign(b), η changing at `switchAt`. */
function signumReference(x0: number[], grads: number[][], mu: number, rates: number[]): number[] {
  const x = [...x0];
  let b: number[] | undefined;
  grads.forEach((g, t) => {
    b = b === undefined ? [...g] : b.map((bi, i) => mu * bi + (g[i] as number));
    b.forEach((bi, i) => {
      x[i] = (x[i] as number) - (rates[t] as number) * Math.sign(bi);
    });
  });
  return x;
}

forEachBackend('defineOptimizer', () => {
  it('builds a working optimizer from a description: steps, typos, config, learningRate', async () => {
    const x = tf.variable(tf.tensor1d([1, -2, 3]), true, `signum${uniqueSuffix()}`);
    const grads = [
      [0.5, -1, 2],
      [-2, 0.5, 1],
      [1, 1, -4],
      [0.25, -0.5, 0.125],
    ];
    const opt = new Signum({ learningRate: 0.1, momentum: 0.5 }) as NamedOptimizer<SignumOptions>;
    for (const [t, g] of grads.entries()) {
      if (t === 2) opt.learningRate = 0.01; // takes effect from this step on
      const gradient = tf.tensor1d(g);
      const step = () => opt.applyGradients({ [x.name]: gradient });
      if (t === 0)
        step(); // makes the momentum buffer
      else await expectNoLeaks(step);
      gradient.dispose();
    }
    const expected = signumReference([1, -2, 3], grads, 0.5, [0.1, 0.1, 0.01, 0.01]);
    expectClose(await x.data(), expected, { rtol: 1e-6, atol: 1e-7 }); // float32 steps of ±η
    expect(opt.getConfig()).toEqual({ learningRate: 0.01, momentum: 0.5 });
    const again = Signum.fromConfig(Signum, opt.getConfig()) as NamedOptimizer<SignumOptions>;
    expect(again.learningRate).toBe(0.01);
    expectDescentError(
      () => new Signum({ momentun: 0.5 } as SignumOptions),
      'UNKNOWN_PARAM',
      'momentun',
    );
    expectDescentError(() => new Signum({ momentum: 1 }), 'BAD_HYPERPARAM', 'momentum');
    expectDescentError(() => opt.setLearningRate(-1), 'BAD_HYPERPARAM', 'learningRate');
    expect(opt.learningRate).toBe(0.01); // a refused value changes nothing
    opt.dispose();
    again.dispose();
    x.dispose();
  });

  it('setting a learning rate where the chain had none keeps every other element state by name', async () => {
    const w = tf.variable(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      true,
      `adafactor${uniqueSuffix()}`,
    );
    const opt = adafactor({ multiplyByParameterScale: false });
    const gradient = tf.tensor2d([
      [0.1, -0.2],
      [0.3, -0.4],
    ]);
    opt.applyGradients({ [w.name]: gradient });
    const before = await opt.getWeights();
    const slotsBefore = new Map(
      await Promise.all(
        before
          .filter((s) => s.name.startsWith(`${w.name}/`))
          .map(async (s) => [s.name, Array.from(await s.tensor.data())] as const),
      ),
    );
    opt.learningRate = 0.5;
    const after = await opt.getWeights();
    for (const [name, values] of slotsBefore) {
      const same = after.find((s) => s.name === name);
      expect(same, name).toBeDefined();
      expect(Array.from(await (same as { tensor: tf.Tensor }).tensor.data())).toEqual(values);
    }
    const x0 = Array.from(await w.data());
    await expectNoLeaks(() => opt.applyGradients({ [w.name]: gradient }));
    // Without a learning rate a step moves by about the update's RMS (clipped to 1); with η = 0.5 by half that.
    const moved = Array.from(await w.data()).map((v, i) => Math.abs(v - (x0[i] as number)));
    for (const m of moved) expect(m).toBeGreaterThan(0);
    expect(Math.max(...moved)).toBeLessThanOrEqual(0.5 + 1e-6);
    opt.dispose();
    tf.dispose([w, gradient]);
  });
});

it('namedChain lays out its present elements in order and relayoutState carries state by name', () => {
  const withRate = namedChain({
    weightDecay: undefined,
    rule: scaleByMomentum({ momentum: 0.9 }),
    learningRate: scaleByLearningRate(0.1),
  });
  expect(withRate.layout).toEqual({ rule: 0, learningRate: 1 });
  const withSign = namedChain({
    rule: scaleByMomentum({ momentum: 0.9 }),
    sign: scaleBySign(),
    learningRate: scaleByLearningRate(0.2),
  });
  const state = {
    ...withRate.init({}),
    inner: [withRate.init({}).inner[0], { slots: {}, scalars: { count: 7 }, inner: [] }],
  };
  const moved = relayoutState(state as never, withRate.layout, withSign);
  expect(moved.inner.map((s) => s.scalars)).toEqual([{ count: 0 }, {}, { count: 7 }]);
});
