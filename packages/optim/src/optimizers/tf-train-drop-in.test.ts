/**
 * What makes descent's named optimizers drop-in replacements for `tf.train`'s, beyond the numbers
 * (those are in tf-train-compat.test.ts): gradients that are `null` or `undefined` are skipped as
 * tfjs skips them, the learning rate can be assigned or set between steps, and a misspelled option
 * is an error instead of a silently ignored key.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { HyperParameter } from '@descent/core';
import {
  expectClose,
  expectDescentError,
  expectNoLeaks,
  forEachBackend,
  type Tolerance,
} from '@descent/core/testing';
import { testSchedule, uniqueSuffix } from '../test-support/optimizer-harness';
import { adabound } from './adabound';
import { adadelta } from './adadelta';
import { adafactor } from './adafactor';
import { adagrad } from './adagrad';
import { adam } from './adam';
import { adamax } from './adamax';
import { adamw } from './adamw';
import { lamb } from './lamb';
import { lars } from './lars';
import { lbfgs } from './lbfgs';
import { lion } from './lion';
import { lookahead } from './lookahead';
import { nadam } from './nadam';
import { padam } from './padam';
import { radam } from './radam';
import { rmsprop } from './rmsprop';
import { sgd } from './sgd';
import { swa } from './swa';
import { yogi } from './yogi';

/** The learning-rate controls `tf.train`'s optimizers have (`learningRate` field, `setLearningRate`). */
interface LearningRateControl {
  learningRate: HyperParameter;
  setLearningRate(value: HyperParameter): void;
}

type Make = (options: Record<string, unknown>) => tf.Optimizer;

/** Every named optimizer with a learning rate, with options that give each a non-trivial state. */
const NAMED: readonly [string, Make, Record<string, unknown>][] = [
  ['sgd', (o) => sgd(o), { momentum: 0.9 }],
  ['adagrad', (o) => adagrad(o), {}],
  ['rmsprop', (o) => rmsprop(o), { momentum: 0.5, centered: true }],
  ['adadelta', (o) => adadelta(o), {}],
  ['adam', (o) => adam(o), {}],
  ['adamax', (o) => adamax(o), {}],
  ['adamw', (o) => adamw(o), { weightDecay: 0.1 }],
  ['nadam', (o) => nadam(o), {}],
  ['radam', (o) => radam(o), {}],
  ['adabound', (o) => adabound(o), {}],
  ['yogi', (o) => yogi(o), {}],
  ['padam', (o) => padam(o), {}],
  ['lars', (o) => lars(o as { learningRate: number }), { momentum: 0.9 }],
  ['lamb', (o) => lamb(o as { learningRate: number }), {}],
  ['lion', (o) => lion(o), {}],
  ['adafactor', (o) => adafactor(o), {}],
];

/** The `tf.train` equivalents, whose state is all per variable (fresh-state checks). */
const TF_TRAIN_EQUIVALENTS: readonly [string, Make][] = [
  ['sgd (tf.train.sgd)', (o) => sgd(o)],
  ['sgd with momentum (tf.train.momentum)', (o) => sgd({ ...o, momentum: 0.5 })],
  ['adam', (o) => adam(o)],
  ['adagrad', (o) => adagrad(o)],
  ['adadelta', (o) => adadelta(o)],
  ['adamax', (o) => adamax(o)],
  ['rmsprop (centered, momentum)', (o) => rmsprop({ ...o, momentum: 0.5, centered: true })],
];

const EXACT: Tolerance = { rtol: 0, atol: 0 };
/** Fused (compiled) and general paths agree to 1e-6 (see the fused parity tests). */
const PATHS: Tolerance = { rtol: 1e-6, atol: 1e-7 };

function variable(values: number[] | number[][], trainable = true): tf.Variable {
  const init = tf.tensor(values);
  const v = tf.variable(init, trainable, `dropin${uniqueSuffix()}`);
  init.dispose();
  return v;
}

function reset(v: tf.Variable, values: ArrayLike<number>): void {
  const t = tf.tensor(Array.from(values), v.shape);
  v.assign(t);
  t.dispose();
}

/** The names of `getWeights()` that belong to `v` (`<v.name>/<slot>`). */
async function entriesOf(opt: tf.Optimizer, v: tf.Variable): Promise<string[]> {
  return (await opt.getWeights()).map((w) => w.name).filter((n) => n.startsWith(`${v.name}/`));
}

/** `<slot>` → values of `v`'s entries in `getWeights()`. */
async function slotsOf(opt: tf.Optimizer, v: tf.Variable): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const w of await opt.getWeights()) {
    if (w.name.startsWith(`${v.name}/`)) {
      out[w.name.slice(v.name.length + 1)] = Array.from(await w.tensor.data());
    }
  }
  return out;
}

const START = [0.5, -1.5, 2, 0.25];
const GRADS = [
  [0.3, -0.2, 0.5, -0.1],
  [-0.4, 0.1, 0.25, 0.2],
  [0.2, 0.6, -0.3, 0.05],
  [0.1, -0.5, 0.4, -0.3],
];

forEachBackend('tf.train drop-in behaviour', () => {
  describe('null and undefined gradients are skipped, as tf.train does', () => {
    it.each(NAMED)(
      '%s: minimize(f, true, [frozen, used]) where f ignores frozen',
      async (_, make, extra) => {
        const used = variable(START);
        const twin = variable(START);
        const frozen = variable([3, -3]);
        const nonTrainable = variable([7, 8], false);
        const f = (v: tf.Variable) => () =>
          tf.sum(tf.mul(tf.square(v), [1, 2, 0.5, 3])) as tf.Scalar;
        await expectNoLeaks(async () => {
          const opt = make({ ...extra, learningRate: 0.01 });
          const reference = make({ ...extra, learningRate: 0.01 });
          for (let step = 0; step < 3; step++) {
            const cost = opt.minimize(f(used), true, [frozen, used, nonTrainable]);
            expect(cost).not.toBeNull();
            cost?.dispose();
            reference.minimize(f(twin), false, [twin]);
            await expectClose(used, twin, EXACT);
          }
          await expectClose(frozen, [3, -3], EXACT);
          await expectClose(nonTrainable, [7, 8], EXACT);
          expect(await entriesOf(opt, frozen)).toEqual([]);
          expect(await entriesOf(opt, nonTrainable)).toEqual([]);
          expect(opt.iterations).toBe(3);
          opt.dispose();
          reference.dispose();
        });
        tf.dispose([used, twin, frozen, nonTrainable]);
      },
    );

    it.each(NAMED)(
      '%s: applyGradients({ a: g, b: null }) and the array form update a only, no state for b',
      async (_, make, extra) => {
        const a = variable(START);
        const twin = variable(START);
        const b = variable([1, 2]);
        const c = variable([4, 5]);
        await expectNoLeaks(async () => {
          const opt = make({ ...extra, learningRate: 0.01 });
          const reference = make({ ...extra, learningRate: 0.01 });
          const grads = GRADS.map((g) => tf.tensor(g));
          grads.forEach((g, step) => {
            if (step % 2 === 0) {
              opt.applyGradients({ [a.name]: g, [b.name]: null, [c.name]: undefined } as never);
            } else {
              opt.applyGradients([
                { name: b.name, tensor: null },
                { name: a.name, tensor: g },
                { name: c.name, tensor: undefined },
              ] as never);
            }
            reference.applyGradients({ [twin.name]: g });
          });
          await expectClose(a, twin, PATHS);
          await expectClose(b, [1, 2], EXACT);
          await expectClose(c, [4, 5], EXACT);
          expect(await entriesOf(opt, b)).toEqual([]);
          expect(await entriesOf(opt, c)).toEqual([]);
          expect(opt.iterations).toBe(GRADS.length);
          tf.dispose(grads);
          opt.dispose();
          reference.dispose();
        });
        tf.dispose([a, twin, b, c]);
      },
    );

    it.each(TF_TRAIN_EQUIVALENTS)(
      '%s: b, skipped for three steps, starts from fresh state at its first gradient',
      async (_, make) => {
        const a = variable(START);
        const b = variable([1, -2, 0.5]);
        const fresh = variable([1, -2, 0.5]);
        await expectNoLeaks(async () => {
          const opt = make({ learningRate: 0.1 });
          const reference = make({ learningRate: 0.1 });
          const ga = tf.tensor(GRADS[0] as number[]);
          const gb = tf.tensor([0.4, -0.3, 0.2]);
          for (let step = 0; step < 3; step++)
            opt.applyGradients({ [a.name]: ga, [b.name]: null } as never);
          opt.applyGradients({ [a.name]: ga, [b.name]: gb });
          reference.applyGradients({ [fresh.name]: gb });
          await expectClose(b, fresh, PATHS);
          const [own, first] = [await slotsOf(opt, b), await slotsOf(reference, fresh)];
          expect(Object.keys(own)).toEqual(Object.keys(first));
          for (const [slot, values] of Object.entries(first)) {
            await expectClose(own[slot] as number[], values, PATHS);
          }
          tf.dispose([ga, gb]);
          opt.dispose();
          reference.dispose();
        });
        tf.dispose([a, b, fresh]);
      },
    );
  });

  describe('the learning rate is assignable and settable between steps', () => {
    const schedule = testSchedule((t) => 0.5 / (1 + t), 'drop_in.inverse');
    const ways: readonly [
      string,
      HyperParameter,
      (o: LearningRateControl, v: HyperParameter) => void,
    ][] = [
      [
        'opt.learningRate = 0.5',
        0.5,
        (o, v) => {
          o.learningRate = v;
        },
      ],
      ['opt.setLearningRate(0.5)', 0.5, (o, v) => o.setLearningRate(v)],
      ['opt.setLearningRate(schedule)', schedule, (o, v) => o.setLearningRate(v)],
    ];

    for (const [name, make, extra] of NAMED) {
      it.each(ways)(
        `${name}: %s takes effect from the next step; getConfig() holds it`,
        async (_, value, set) => {
          const w = variable(START);
          await expectNoLeaks(async () => {
            const grads = GRADS.map((g) => tf.tensor(g));
            const step = (opt: tf.Optimizer, from: number) => {
              for (const g of grads.slice(from, from + 2)) opt.applyGradients({ [w.name]: g });
            };
            const opt = make({ ...extra, learningRate: 0.01 });
            step(opt, 0);
            const state = await opt.getWeights();
            const atChange = await w.data();

            set(opt as unknown as LearningRateControl, value);
            expect((opt as unknown as LearningRateControl).learningRate).toBe(value);
            const expectedConfig = make({ ...extra, learningRate: value });
            expect(opt.getConfig().learningRate).toEqual(expectedConfig.getConfig().learningRate);
            expectedConfig.dispose();
            step(opt, 2);
            const changed = await w.data();

            // An optimizer built with the new learning rate, from the same state, takes the same steps…
            const rebuilt = make({ ...extra, learningRate: value });
            await rebuilt.setWeights(state);
            reset(w, atChange);
            step(rebuilt, 2);
            await expectClose(changed, w, PATHS);
            // …and one that kept the old learning rate does not.
            const unchanged = make({ ...extra, learningRate: 0.01 });
            await unchanged.setWeights(state);
            reset(w, atChange);
            step(unchanged, 2);
            const kept = await w.data();
            expect(
              Array.from(kept).some((k, i) => Math.abs(k - (changed[i] as number)) > 1e-6),
            ).toBe(true);

            tf.dispose(grads);
            for (const o of [opt, rebuilt, unchanged]) o.dispose();
          });
          w.dispose();
        },
      );
    }

    it('lbfgs: learningRate assignment and setLearningRate are what getConfig() holds', () => {
      const opt = lbfgs({ learningRate: 1 });
      const control = opt as unknown as LearningRateControl;
      control.learningRate = 0.5;
      expect(control.learningRate).toBe(0.5);
      expect(opt.getConfig().learningRate).toBe(0.5);
      control.setLearningRate(0.25);
      expect(opt.getConfig().learningRate).toBe(0.25);
      opt.dispose();
    });
  });

  describe('a misspelled option is an error, not a silently ignored key', () => {
    it.each(NAMED)('%s({ learnigRate }) throws UNKNOWN_PARAM naming it', (_, make, extra) => {
      const before = tf.memory().numTensors;
      expectDescentError(
        () => make({ ...extra, learningRate: 0.01, learnigRate: 1 }),
        'UNKNOWN_PARAM',
        'learnigRate',
      );
      expect(tf.memory().numTensors).toBe(before);
    });

    it('adam: Keras/tfjs spellings (beta_1, decay) are UNKNOWN_PARAM too', () => {
      expectDescentError(() => adam({ beta_1: 0.9 } as never), 'UNKNOWN_PARAM', 'beta_1');
      expectDescentError(() => adam({ decay: 0.1 } as never), 'UNKNOWN_PARAM', 'decay');
    });

    it('lbfgs({ learnigRate }) throws UNKNOWN_PARAM', () => {
      expectDescentError(() => lbfgs({ learnigRate: 1 } as never), 'UNKNOWN_PARAM', 'learnigRate');
    });

    it('lookahead(inner, { kk }) and swa(inner, { strat }) throw UNKNOWN_PARAM', () => {
      const inner = sgd({ learningRate: 0.1 });
      expectDescentError(() => lookahead(inner, { kk: 5 } as never), 'UNKNOWN_PARAM', 'kk');
      expectDescentError(() => swa(inner, { strat: 5 } as never), 'UNKNOWN_PARAM', 'strat');
      inner.dispose();
    });
  });
});
