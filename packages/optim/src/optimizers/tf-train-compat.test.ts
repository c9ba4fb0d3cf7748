/**
 * tfjs-core 4.22's optimizer tests (`src/optimizers/*_test.ts`) and tfjs-layers 4.22's "Saving+loading
 * model with optimizer" tests, ported to descent's equivalents with the option mapping of the
 * README's "Migrating from tf.train" table. Each case runs tfjs's scenario and asserts the numbers
 * tfjs's test expects, with tfjs's tolerance (`expectArraysClose`: |a − e| ≤ 1e-3 on float32, or the
 * tolerance the case states); where the two rules agree, tfjs's own optimizer also runs side by side
 * and both trajectories must agree to rtol 1e-5. What differs on purpose (Adadelta's rule, the
 * layout and names of `getWeights`, a required learning rate) is in the README's list of
 * differences instead; the mechanics of those cases (resuming from `getWeights`, saving a model)
 * are still tested here, with descent's numbers. Every case runs inside `expectNoLeaks`.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { registerScheduleKind, type Schedule, type ScheduleConfig } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend, type Tolerance } from '@descent/core/testing';
import { uniqueSuffix } from '../test-support/optimizer-harness';
import { Adadelta, adadelta } from './adadelta';
import { Adagrad, adagrad } from './adagrad';
import { Adam, adam } from './adam';
import { Adamax, adamax } from './adamax';
import { RMSprop, rmsprop } from './rmsprop';
import { SGD, sgd } from './sgd';
import type { NamedOptimizer, OptimizerOptions } from './named-optimizer';

/** tfjs's `expectArraysClose` default on float32 backends: absolute 1e-3. */
const TFJS: Tolerance = { atol: 1e-3, rtol: 0 };
/** The cases tfjs marks "TODO: Fix numerical precision" pass 1e-2 explicitly. */
const TFJS_LOOSE: Tolerance = { atol: 1e-2, rtol: 0 };
/** descent against tfjs's own optimizer on the same backend, same scenario. */
const SIDE_BY_SIDE: Tolerance = { rtol: 1e-5, atol: 1e-6 };

/**
 * `lr / (1 + decay·t)`, `t` the step count from 0: the learning-rate decay of
 * `tf.train.adamax(lr, β₁, β₂, ε, decay)` as a schedule (registered so that it round-trips).
 */
const INVERSE_TIME = 'tf_train_compat.inverse_time';
function inverseTime(initial: number, decay: number): Schedule {
  return Object.assign((step: number) => initial / (1 + decay * step), {
    config: { type: INVERSE_TIME, initial, decay },
  });
}
registerScheduleKind(INVERSE_TIME, (c) => {
  const { initial, decay } = c as ScheduleConfig & { initial: number; decay: number };
  return inverseTime(initial, decay);
});

/** A trainable (or frozen) float32 variable with a unique name; no other tensor stays alive. */
function variable(values: number | number[] | number[][], trainable = true): tf.Variable {
  const init = tf.tensor(values);
  const v = tf.variable(init, trainable, `compat${uniqueSuffix()}`);
  init.dispose();
  return v;
}

/** `f(x) = Σ x²`, the loss of every tfjs optimizer test. */
function sumOfSquares(x: tf.Variable): () => tf.Scalar {
  return () => tf.sum(tf.square(x)) as tf.Scalar;
}

async function costValue(t: tf.Tensor | null): Promise<number> {
  expect(t).not.toBeNull();
  const v = (await (t as tf.Tensor).data())[0] as number;
  (t as tf.Tensor).dispose();
  return v;
}

/**
 * tfjs's "basic" case: two `minimize` calls on `Σ x²` from `start`. The first returns the cost
 * and adds exactly the cost and the optimizer's `stateTensors` slots; the second returns null
 * and adds nothing; after `dispose()` nothing is left.
 */
async function basicCase(o: {
  optimizer: () => tf.Optimizer;
  start: number[];
  first: number[];
  second: number[];
  stateTensors: number;
  firstTol?: Tolerance;
  secondTol?: Tolerance;
}): Promise<void> {
  await expectNoLeaks(async () => {
    const opt = o.optimizer();
    const x = variable(o.start);
    const f = sumOfSquares(x);
    let numTensors = tf.memory().numTensors;
    const cost = opt.minimize(f, true);
    expect(tf.memory().numTensors).toBe(numTensors + 1 + o.stateTensors);
    await expectClose(x, o.first, o.firstTol ?? TFJS);
    expect(await costValue(cost)).toBeCloseTo(
      o.start.reduce((s, v) => s + v * v, 0),
      5,
    );
    numTensors = tf.memory().numTensors;
    expect(opt.minimize(f, false)).toBeNull();
    expect(tf.memory().numTensors).toBe(numTensors);
    await expectClose(x, o.second, o.secondTol ?? TFJS);
    opt.dispose();
    x.dispose();
  });
}

/**
 * Runs tfjs's optimizer and descent's on copies of the same two variables (a vector and a matrix)
 * for `steps` steps of `minimize(f, false, [x, w])`, with `f = ¼Σx⁴ + Σ c ⊙ (w − 0.5)²`, and
 * asserts equal values after every step. tfjs's optimizer runs first, outside the leak check
 * (tfjs's `Momentum` never frees its learning-rate scalar).
 */
async function expectSideBySide(
  tfjs: tf.Optimizer,
  makeDescent: () => tf.Optimizer,
  steps = 6,
  tol: Tolerance = SIDE_BY_SIDE,
): Promise<void> {
  const c = tf.tensor2d([1, 2, 3, 0.5], [2, 2]);
  const loss = (x: tf.Variable, w: tf.Variable) => () =>
    tf.add(
      tf.mul(0.25, tf.sum(tf.pow(x, 4))),
      tf.sum(tf.mul(c, tf.square(tf.sub(w, 0.5)))),
    ) as tf.Scalar;
  const start = {
    x: [1.5, -0.8, 0.3],
    w: [
      [1, -1],
      [0.25, 2],
    ],
  };
  const expected: Float32Array[][] = [];
  const [tx, tw] = [variable(start.x), variable(start.w)];
  const tfLoss = loss(tx, tw);
  for (let step = 0; step < steps; step++) {
    tfjs.minimize(tfLoss, false, [tx, tw]);
    expected.push([(await tx.data()) as Float32Array, (await tw.data()) as Float32Array]);
  }
  tfjs.dispose();
  tf.dispose([tx, tw]);
  const [dx, dw] = [variable(start.x), variable(start.w)];
  const descentLoss = loss(dx, dw);
  await expectNoLeaks(async () => {
    const descent = makeDescent();
    for (const [x, w] of expected) {
      descent.minimize(descentLoss, false, [dx, dw]);
      await expectClose(dx, x as Float32Array, tol);
      await expectClose(dw, w as Float32Array, tol);
    }
    descent.dispose();
  });
  tf.dispose([c, dx, dw]);
}

/**
 * tfjs's "serialization round-trip": `fromConfig(getConfig())` gives the same config, and the
 * rebuilt optimizer is the same class.
 */
function expectConfigRoundTrip<O extends OptimizerOptions>(
  cls: tf.serialization.SerializableConstructor<NamedOptimizer<O>>,
  make: () => NamedOptimizer<O>,
): void {
  const original = make();
  const rebuilt = (cls as unknown as typeof tf.serialization.Serializable).fromConfig(
    cls,
    original.getConfig(),
  ) as NamedOptimizer<O>;
  expect(rebuilt).toBeInstanceOf(cls);
  expect(rebuilt.getConfig()).toEqual(original.getConfig());
  original.dispose();
  rebuilt.dispose();
}

/** Per-variable entries of `getWeights()` (`<variable>/<slot>`), as slot names, in order. */
function slotsOf(weights: { name: string }[], variableName: string): string[] {
  return weights
    .filter((w) => w.name.startsWith(`${variableName}/`))
    .map((w) => w.name.slice(variableName.length + 1));
}

/** Asserts `weights` is `[iter, <variable>/<slot>…, __descent__/…]` with these slots per variable. */
function expectLayout(weights: { name: string }[], slots: Record<string, string[]>): void {
  expect(weights[0]?.name).toBe('iter');
  let at = 1;
  for (const [name, expected] of Object.entries(slots)) {
    const own = weights.slice(at, at + expected.length).map((w) => w.name);
    expect(own).toEqual(expected.map((slot) => `${name}/${slot}`));
    at += expected.length;
  }
  for (const w of weights.slice(at)) expect(w.name).toMatch(/^__descent__\//);
}

forEachBackend('tf.train compat: tfjs-core optimizer tests', () => {
  describe('sgd_optimizer_test → sgd({ learningRate })', () => {
    it('basic: x = 4, lr 0.1 → 3.2, 2.56; only the cost is a new tensor', async () => {
      await basicCase({
        optimizer: () => sgd({ learningRate: 0.1 }),
        start: [4],
        first: [-2 * 4 * 0.1 + 4],
        second: [-2 * 3.2 * 0.1 + 3.2],
        stateTensors: 0,
      });
      await expectSideBySide(tf.train.sgd(0.1), () => sgd({ learningRate: 0.1 }));
    });

    it('set and get weights: iter resumes (2.56 after 2 steps, 2.048 after 3); no per-variable state', async () => {
      const x = variable(4);
      const f = sumOfSquares(x);
      await expectNoLeaks(async () => {
        const opt1 = sgd({ learningRate: 0.1 });
        let weights = await opt1.getWeights();
        expect(opt1.iterations).toBe(0);
        expect(weights[0]?.name).toBe('iter');
        expect(await weights[0]?.tensor.data()).toEqual(new Int32Array([0]));
        opt1.minimize(f);
        weights = await opt1.getWeights();
        expect(opt1.iterations).toBe(1);
        expect(await weights[0]?.tensor.data()).toEqual(new Int32Array([1]));
        // tfjs: exactly [iter]; descent adds its chain's step counts (README: state layout).
        expectLayout(weights, {});
        expect(slotsOf(weights, x.name)).toEqual([]);

        const opt2 = sgd({ learningRate: 0.1 });
        await opt2.setWeights(weights);
        opt2.minimize(f);
        await expectClose(x, [2.56], TFJS);
        expect(opt2.iterations).toBe(2);

        const opt3 = sgd({ learningRate: 0.1 });
        await opt3.setWeights(await opt2.getWeights());
        opt3.minimize(f);
        await expectClose(x, [2.048], TFJS);
        expect(opt3.iterations).toBe(3);
        for (const o of [opt1, opt2, opt3]) o.dispose();
      });
      x.dispose();
    });

    it('serialization round-trip', () => {
      expectConfigRoundTrip(SGD, () => sgd({ learningRate: 0.1 }));
    });
  });

  describe('momentum_optimizer_test → sgd({ learningRate, momentum, nesterov })', () => {
    it('basic: x = [1, 2], lr 0.1, μ 0.5 → [0.8, 1.6], [0.54, 1.08]; cost + buffer are the new tensors', async () => {
      await basicCase({
        optimizer: () => sgd({ learningRate: 0.1, momentum: 0.5 }),
        start: [1, 2],
        first: [0.8, 1.6],
        second: [0.54, 1.08],
        stateTensors: 1,
      });
      await expectSideBySide(tf.train.momentum(0.1, 0.5), () =>
        sgd({ learningRate: 0.1, momentum: 0.5 }),
      );
    });

    it('basic with Nesterov → [0.7, 1.4], [0.44, 0.88]', async () => {
      await basicCase({
        optimizer: () => sgd({ learningRate: 0.1, momentum: 0.5, nesterov: true }),
        start: [1, 2],
        first: [0.7, 1.4],
        second: [0.44, 0.88],
        stateTensors: 1,
      });
      await expectSideBySide(tf.train.momentum(0.1, 0.5, true), () =>
        sgd({ learningRate: 0.1, momentum: 0.5, nesterov: true }),
      );
    });

    it('save, load weights and continue training: cost 2.45, x = [0.44, 0.88], iterations 2', async () => {
      const x = variable([1, 2]);
      const f = sumOfSquares(x);
      await expectNoLeaks(async () => {
        const make = () => sgd({ learningRate: 0.1, momentum: 0.5, nesterov: true });
        const opt1 = make();
        expect(await costValue(opt1.minimize(f, true))).toBeCloseTo(5, 5);
        const opt2 = make();
        await opt2.setWeights(await opt1.getWeights());
        expect(await costValue(opt2.minimize(f, true))).toBeCloseTo(2.45, 3);
        await expectClose(x, [0.44, 0.88], TFJS);
        expect(opt2.iterations).toBe(2);
        opt1.dispose();
        opt2.dispose();
      });
      x.dispose();
    });

    it('serialization round-trip', () => {
      expectConfigRoundTrip(SGD, () => sgd({ learningRate: 0.1, momentum: 0.2, nesterov: true }));
    });
  });

  describe('adam_optimizer_test → adam({ learningRate, beta1, beta2, epsilon })', () => {
    const options = { learningRate: 0.1, beta1: 0.8, beta2: 0.9, epsilon: 1e-7 };

    it('basic: x = [2, 4] → [1.9, 3.9], [1.8000001, 3.8002]; cost + m + v are the new tensors', async () => {
      await basicCase({
        optimizer: () => adam(options),
        start: [2, 4],
        first: [1.9, 3.9],
        second: [1.8000001, 3.8002],
        stateTensors: 2,
      });
      // tf.train.adam's ε is the backend's (1e-7): mapped explicitly, descent's default is 1e-8.
      await expectSideBySide(tf.train.adam(0.1, 0.8, 0.9), () => adam(options));
    });

    it('continue training after loading weights: costs 20, 18.82, 17.681284; iter, x/m, x/v first', async () => {
      const x = variable([2, 4]);
      const f = sumOfSquares(x);
      await expectNoLeaks(async () => {
        const opt1 = adam(options);
        expect(await costValue(opt1.minimize(f, true))).toBeCloseTo(20, 5);
        expect(opt1.iterations).toBe(1);
        const weights = await opt1.getWeights();
        // tfjs: exactly [iter, x/m, x/v]; descent adds x/step and its chain's counts (README).
        expect(weights.slice(0, 3).map((w) => w.name)).toEqual([
          'iter',
          `${x.name}/m`,
          `${x.name}/v`,
        ]);
        expectLayout(weights, { [x.name]: ['m', 'v', 'step'] });

        const opt2 = adam(options);
        await opt2.setWeights(weights);
        expect(await costValue(opt2.minimize(f, true))).toBeCloseTo(18.82, 2);
        expect(opt2.iterations).toBe(2);

        const opt3 = adam(options);
        await opt3.setWeights(await opt2.getWeights());
        expect(opt3.iterations).toBe(2);
        expect(await costValue(opt3.minimize(f, true))).toBeCloseTo(17.681284, 3);
        expect(opt3.iterations).toBe(3);
        for (const o of [opt1, opt2, opt3]) o.dispose();
      });
      x.dispose();
    });

    it('serialization round-trip', () => {
      expectConfigRoundTrip(Adam, () =>
        adam({ learningRate: 0.1, beta1: 0.2, beta2: 0.3, epsilon: 2e-8 }),
      );
    });
  });

  describe('adamax_optimizer_test → adamax({ learningRate: schedule, beta1, beta2, epsilon })', () => {
    // tf.train.adamax(0.1, 0.8, 0.9, undefined, 0.1): decay 0.1 is η/(1 + 0.1·t), ε the backend's 1e-7.
    const options = () => ({
      learningRate: inverseTime(0.1, 0.1),
      beta1: 0.8,
      beta2: 0.9,
      epsilon: 1e-7,
    });

    it('basic (decay 0.1): x = [2, 4] → [1.9, 3.9], [1.80697, 3.8086]; cost + m + u are the new tensors', async () => {
      await basicCase({
        optimizer: () => adamax(options()),
        start: [2, 4],
        first: [1.9, 3.9],
        second: [1.80697, 3.8086],
        stateTensors: 2,
      });
      await expectSideBySide(tf.train.adamax(0.1, 0.8, 0.9, undefined, 0.1), () =>
        adamax(options()),
      );
    });

    it('serialization round-trip (decay as a registered schedule)', () => {
      expectConfigRoundTrip(Adamax, () =>
        adamax({ learningRate: inverseTime(0.1, 0.1), beta1: 0.2, beta2: 0.3, epsilon: 2e-8 }),
      );
    });
  });

  describe('adagrad_optimizer_test → adagrad({ learningRate, initialAccumulatorValue })', () => {
    // tfjs's ε (1e-7) sits inside the root and descent's (1e-10) outside: with s ≥ 0.1 both are
    // below float32 resolution here.
    const options = { learningRate: 0.1, initialAccumulatorValue: 0.1 };

    it('basic: x = [1, 2] → [0.9012270405, 1.9003110428], then [0.8347372764, 1.83015597828] (±1e-2)', async () => {
      await basicCase({
        optimizer: () => adagrad(options),
        start: [1, 2],
        first: [0.9012270405, 1.9003110428],
        second: [0.8347372764, 1.83015597828],
        secondTol: TFJS_LOOSE,
        stateTensors: 1,
      });
      await expectSideBySide(tf.train.adagrad(0.1, 0.1), () => adagrad(options));
    });

    it('continue training after loading weights: costs 20, then 18.82179; iterations 2', async () => {
      const x = variable([2, 4]);
      const f = sumOfSquares(x);
      await expectNoLeaks(async () => {
        const opt1 = adagrad(options);
        expect(await costValue(opt1.minimize(f, true))).toBeCloseTo(20, 5);
        const weights = await opt1.getWeights();
        // tfjs: [iter, x/accumulator]; descent: [iter, x/sum, x/step, __descent__/…] (README).
        expectLayout(weights, { [x.name]: ['sum', 'step'] });
        // (tfjs's test loads these weights into tf.train.adam by mistake; the intent is adagrad.)
        const opt2 = adagrad(options);
        await opt2.setWeights(weights);
        expect(await costValue(opt2.minimize(f, true))).toBeCloseTo(18.82179, 3);
        expect(opt2.iterations).toBe(2);
        opt1.dispose();
        opt2.dispose();
      });
      x.dispose();
    });

    it('serialization round-trip', () => {
      expectConfigRoundTrip(Adagrad, () =>
        adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.2 }),
      );
    });
  });

  describe('adadelta_optimizer_test → adadelta({ learningRate, rho, epsilon })', () => {
    // tfjs's "basic" numbers ([0.8, 1.6], [0.64, 1.28]) come from its rule, which divides by the
    // previous step's accumulator: a README row, not a test. The mechanics are tested with
    // Zeiler's (and torch's) rule, computed here in float64.
    const options = { learningRate: 0.1, rho: 0.95, epsilon: 1e-7 };
    function zeiler(start: number[], steps: number): number[] {
      const { learningRate: lr, rho, epsilon: eps } = options;
      const x = [...start];
      const v = x.map(() => 0);
      const a = x.map(() => 0);
      for (let s = 0; s < steps; s++) {
        x.forEach((xi, i) => {
          const g = 2 * xi;
          v[i] = rho * (v[i] as number) + (1 - rho) * g * g;
          const delta = (Math.sqrt((a[i] as number) + eps) / Math.sqrt((v[i] as number) + eps)) * g;
          a[i] = rho * (a[i] as number) + (1 - rho) * delta * delta;
          x[i] = xi - lr * delta;
        });
      }
      return x;
    }

    it('basic (descent’s rule): two steps from [1, 2]; cost + v + a are the new tensors', async () => {
      await basicCase({
        optimizer: () => adadelta(options),
        start: [1, 2],
        first: zeiler([1, 2], 1),
        second: zeiler([1, 2], 2),
        firstTol: { rtol: 1e-6, atol: 1e-7 },
        secondTol: { rtol: 1e-6, atol: 1e-7 },
        stateTensors: 2,
      });
    });

    it('save, load weights and continue training: iterations 2, the uninterrupted trajectory', async () => {
      const x = variable([1, 2]);
      const f = sumOfSquares(x);
      await expectNoLeaks(async () => {
        const opt1 = adadelta(options);
        expect(await costValue(opt1.minimize(f, true))).toBeCloseTo(5, 5);
        await expectClose(x, zeiler([1, 2], 1), { rtol: 1e-6, atol: 1e-7 });
        const weights = await opt1.getWeights();
        // tfjs: [iter, x/accum_grad, x/accum_var]; descent: [iter, x/v, x/a, __descent__/…].
        expectLayout(weights, { [x.name]: ['v', 'a'] });
        const opt2 = adadelta(options);
        await opt2.setWeights(weights);
        const expectedCost = zeiler([1, 2], 1).reduce((s, v) => s + v * v, 0);
        expect(await costValue(opt2.minimize(f, true))).toBeCloseTo(expectedCost, 4);
        await expectClose(x, zeiler([1, 2], 2), { rtol: 1e-6, atol: 1e-7 });
        expect(opt2.iterations).toBe(2);
        opt1.dispose();
        opt2.dispose();
      });
      x.dispose();
    });

    it('serialization round-trip', () => {
      expectConfigRoundTrip(Adadelta, () =>
        adadelta({ learningRate: 0.1, rho: 0.2, epsilon: 2e-8 }),
      );
    });
  });

  describe('rmsprop_optimizer_test → rmsprop({ learningRate, rho: decay, momentum, epsilon, centered })', () => {
    // tfjs's ε (1e-7) sits inside the root and descent's (default 1e-8) outside: here both are
    // below float32 resolution (v ≥ 0.2).
    const plain = { learningRate: 0.1, rho: 0.95, momentum: 0.1 };
    const centered = { ...plain, centered: true };

    it('basic: x = [1, 2] → [0.55279, 1.55279], then [0.28745, 1.222943] (±1e-2); cost + v + buf new', async () => {
      await basicCase({
        optimizer: () => rmsprop(plain),
        start: [1, 2],
        first: [0.55279, 1.55279],
        second: [0.28745, 1.222943],
        secondTol: TFJS_LOOSE,
        stateTensors: 2,
      });
      // Side by side with ε → 0 on both sides: ε inside the root (tfjs) or outside (descent)
      // differ where v is small (here |g| = 0.027 for x₃, README), the rules otherwise agree.
      await expectSideBySide(tf.train.rmsprop(0.1, 0.95, 0.1, 1e-14), () =>
        rmsprop({ ...plain, epsilon: 0 }),
      );
    });

    it('centered with momentum: → [0.54117, 1.541169], then [0.267785, 1.2035924] (±1e-2); cost + 3 slots new', async () => {
      await basicCase({
        optimizer: () => rmsprop(centered),
        start: [1, 2],
        first: [0.54117, 1.541169],
        second: [0.267785, 1.2035924],
        secondTol: TFJS_LOOSE,
        stateTensors: 3,
      });
      await expectSideBySide(tf.train.rmsprop(0.1, 0.95, 0.1, 1e-14, true), () =>
        rmsprop({ ...centered, epsilon: 0 }),
      );
    });

    it('save and load weights, centered = false: cost 5 → 2.7167187, x = [0.2874418, 1.2294267]', async () => {
      const x = variable([1, 2]);
      const f = sumOfSquares(x);
      await expectNoLeaks(async () => {
        const opt1 = rmsprop(plain);
        expect(await costValue(opt1.minimize(f, true))).toBeCloseTo(5, 5);
        await expectClose(x, [0.5527865, 1.5527864], TFJS);
        const weights = await opt1.getWeights();
        // tfjs: [iter, x/rms, x/momentum]; descent: [iter, x/v, x/buf, __descent__/…] (README).
        expectLayout(weights, { [x.name]: ['v', 'buf'] });
        const opt2 = rmsprop(plain);
        await opt2.setWeights(weights);
        expect(await costValue(opt2.minimize(f, true))).toBeCloseTo(2.7167187, 3);
        await expectClose(x, [0.2874418, 1.2294267], TFJS);
        expect(opt2.iterations).toBe(2);
        opt1.dispose();
        opt2.dispose();
      });
      x.dispose();
    });

    it('save, load weights and continue training, centered = true: costs 5, 2.668063, 1.520341', async () => {
      const x = variable([1, 2]);
      const f = sumOfSquares(x);
      await expectNoLeaks(async () => {
        const opt1 = rmsprop(centered);
        expect(await costValue(opt1.minimize(f, true))).toBeCloseTo(5, 5);
        await expectClose(x, [0.5411684, 1.5411685], TFJS);
        const weights = await opt1.getWeights();
        // tfjs: [iter, x/rms, x/momentum, x/mg]; descent: [iter, x/v, x/gAvg, x/buf, __descent__/…].
        expectLayout(weights, { [x.name]: ['v', 'gAvg', 'buf'] });
        const opt2 = rmsprop(centered);
        await opt2.setWeights(weights);
        expect(await costValue(opt2.minimize(f, true))).toBeCloseTo(2.668063, 3);
        await expectClose(x, [0.2677834, 1.2035918], TFJS);
        expect(opt2.iterations).toBe(2);
        const opt3 = rmsprop(centered);
        await opt3.setWeights(await opt2.getWeights());
        expect(await costValue(opt3.minimize(f, true))).toBeCloseTo(1.520341, 3);
        expect(opt3.iterations).toBe(3);
        for (const o of [opt1, opt2, opt3]) o.dispose();
      });
      x.dispose();
    });

    it('serialization round-trip', () => {
      expectConfigRoundTrip(RMSprop, () =>
        rmsprop({ learningRate: 0.1, rho: 0.5, momentum: 0.1, epsilon: 1e-7, centered: true }),
      );
    });
    // "must define learning rate": descent's rmsprop has a default (1e-2, torch's): a README row.
  });

  describe('optimizer_test → sgd({ learningRate: 0.1 })', () => {
    const lr = 0.1;

    it('basic: minimize without varList updates x and bias, not a stray variable; only the cost is new', async () => {
      await expectNoLeaks(async () => {
        const opt = sgd({ learningRate: lr });
        const x = variable(4);
        const bias = variable(1);
        const stray = variable(-1);
        const f = () => tf.add(tf.square(x), bias) as tf.Scalar;
        let numTensors = tf.memory().numTensors;
        const cost = opt.minimize(f, true);
        expect(tf.memory().numTensors).toBe(numTensors + 1);
        const x1 = -2 * 4 * lr + 4;
        const b1 = -lr + 1;
        await expectClose(x, [x1], TFJS);
        await expectClose(bias, [b1], TFJS);
        expect(await costValue(cost)).toBeCloseTo(17, 5);
        await expectClose(stray, [-1], { atol: 0, rtol: 0 });
        numTensors = tf.memory().numTensors;
        expect(opt.minimize(f, false)).toBeNull();
        expect(tf.memory().numTensors).toBe(numTensors);
        await expectClose(x, [-2 * x1 * lr + x1], TFJS);
        await expectClose(bias, [b1 - lr], TFJS);
        await expectClose(stray, [-1], { atol: 0, rtol: 0 });
        opt.dispose();
        tf.dispose([x, bias, stray]);
      });
    });

    it('varList of all (used) variables', async () => {
      await expectNoLeaks(async () => {
        const opt = sgd({ learningRate: lr });
        const x = variable(4);
        const bias = variable(1);
        const stray = variable(-1);
        const f = () => tf.add(tf.square(x), bias) as tf.Scalar;
        expect(await costValue(opt.minimize(f, true, [x, bias]))).toBeCloseTo(17, 5);
        await expectClose(x, [3.2], TFJS);
        await expectClose(bias, [0.9], TFJS);
        expect(opt.minimize(f, false, [x, bias])).toBeNull();
        await expectClose(x, [2.56], TFJS);
        await expectClose(bias, [0.8], TFJS);
        await expectClose(stray, [-1], { atol: 0, rtol: 0 });
        opt.dispose();
        tf.dispose([x, bias, stray]);
      });
    });

    it('an empty varList throws', async () => {
      const x = variable(4);
      const bias = variable(1);
      const f = () => tf.add(tf.square(x), bias) as tf.Scalar;
      const opt = sgd({ learningRate: lr });
      await expectNoLeaks(() => {
        expect(() => opt.minimize(f, true, [])).toThrow();
      });
      opt.dispose();
      tf.dispose([x, bias]);
    });

    it('varList subset: only x moves; bias (used by f) and a stray variable stay', async () => {
      await expectNoLeaks(async () => {
        const opt = sgd({ learningRate: lr });
        const x = variable(4);
        const bias = variable(1);
        const stray = variable(-1);
        const f = () => tf.add(tf.square(x), bias) as tf.Scalar;
        expect(await costValue(opt.minimize(f, true, [x]))).toBeCloseTo(17, 5);
        await expectClose(x, [3.2], TFJS);
        expect(opt.minimize(f, false, [x])).toBeNull();
        await expectClose(x, [2.56], TFJS);
        await expectClose(bias, [1], { atol: 0, rtol: 0 });
        await expectClose(stray, [-1], { atol: 0, rtol: 0 });
        opt.dispose();
        tf.dispose([x, bias, stray]);
      });
    });

    it('only bias trainable: minimize without varList leaves the non-trainable x alone', async () => {
      await expectNoLeaks(async () => {
        const opt = sgd({ learningRate: lr });
        const x = variable(4, false);
        const bias = variable(1);
        const stray = variable(-1);
        const f = () => tf.add(tf.square(x), bias) as tf.Scalar;
        expect(await costValue(opt.minimize(f, true))).toBeCloseTo(17, 5);
        await expectClose(x, [4], { atol: 0, rtol: 0 });
        await expectClose(bias, [0.9], TFJS);
        expect(opt.minimize(f, false)).toBeNull();
        await expectClose(x, [4], { atol: 0, rtol: 0 });
        await expectClose(bias, [0.8], TFJS);
        await expectClose(stray, [-1], { atol: 0, rtol: 0 });
        opt.dispose();
        tf.dispose([x, bias, stray]);
      });
    });

    it('only bias trainable, only x in varList: throws', async () => {
      const x = variable(4, false);
      const bias = variable(1);
      const f = () => tf.add(tf.square(x), bias) as tf.Scalar;
      const opt = sgd({ learningRate: lr });
      await expectNoLeaks(() => {
        expect(() => opt.minimize(f, true, [x])).toThrow();
      });
      await expectClose(x, [4], { atol: 0, rtol: 0 });
      opt.dispose();
      tf.dispose([x, bias]);
    });

    it('instanceof tf.Optimizer', () => {
      for (const opt of [sgd(), adam(), adagrad(), adadelta(), adamax(), rmsprop()]) {
        expect(opt).toBeInstanceOf(tf.Optimizer);
        opt.dispose();
      }
    });

    it('throws when f returns a non-scalar', () => {
      const x = variable([1, 2]);
      const opt = sgd({ learningRate: lr });
      expect(() => opt.minimize((() => tf.square(x)) as unknown as () => tf.Scalar)).toThrow();
      opt.dispose();
      x.dispose();
    });
  });
});

/** The model of tfjs-layers' tests: one dense unit on 8 inputs, kernel of ones. */
function denseModel(optimizer: tf.Optimizer): tfl.Sequential {
  const model = tfl.sequential();
  model.add(tfl.layers.dense({ units: 1, inputShape: [8], kernelInitializer: 'ones' }));
  model.compile({ loss: 'meanSquaredError', optimizer });
  return model;
}

/** `model.save(…, { includeOptimizer: true })` into memory; the artifacts as the handler got them. */
async function saveWithOptimizer(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer: true },
  );
  return saved as tf.io.ModelArtifacts;
}

async function namedValues(opt: tf.Optimizer): Promise<[string, number[]][]> {
  const weights = await opt.getWeights();
  return Promise.all(
    weights.map(async (w) => [w.name, Array.from(await w.tensor.data())] as [string, number[]]),
  );
}

const FIT = { epochs: 1, verbose: 0 } as const;

/**
 * tfjs-layers' "Saving+loading model with optimizer" case for one optimizer: fit one epoch, save
 * with the optimizer, load; the loaded optimizer has the config and the state of the original,
 * and one more epoch of the loaded model gives the loss the original gives (`expectedLoss`, tfjs's
 * number, to jasmine's `toBeCloseTo` precision of 2 digits, where the rules agree).
 */
async function saveLoadCase(o: {
  make: () => NamedOptimizer<OptimizerOptions>;
  slots: string[];
  config: Record<string, unknown>;
  expectedLoss?: number;
}): Promise<void> {
  await expectNoLeaks(() => saveLoadSteps(o));
}

async function saveLoadSteps(o: {
  make: () => NamedOptimizer<OptimizerOptions>;
  slots: string[];
  config: Record<string, unknown>;
  expectedLoss?: number;
}): Promise<void> {
  const xs = tf.ones([4, 8]);
  const ys = tf.zeros([4, 1]);
  const optimizer = o.make();
  const model1 = denseModel(optimizer);
  await model1.fit(xs, ys, FIT);
  const artifacts = await saveWithOptimizer(model1);
  expect(artifacts.trainingConfig?.loss).toBe('mean_squared_error');
  const specs = artifacts.weightSpecs ?? [];
  // The model's two weights, then the optimizer's: `iter` first, as in tfjs.
  expect(specs.map((s) => s.name).slice(0, 3)).toEqual([
    model1.weights[0]?.name,
    model1.weights[1]?.name,
    'iter',
  ]);
  // Then descent's own layout (tfjs: slots grouped by kind, e.g. kernel/m, bias/m, kernel/v, bias/v).
  const kernel = model1.weights[0]?.name as string;
  const bias = model1.weights[1]?.name as string;
  expectLayout(specs.slice(2), { [kernel]: o.slots, [bias]: o.slots });

  const model2 = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  const loaded = model2.optimizer as NamedOptimizer<OptimizerOptions>;
  expect(loaded.getClassName()).toBe(optimizer.getClassName());
  expect(loaded.getConfig()).toMatchObject(o.config);
  expect(await namedValues(loaded)).toEqual(await namedValues(optimizer));

  const resumed = await model2.fit(xs, ys, FIT);
  const continued = await model1.fit(xs, ys, FIT);
  const loss = (resumed.history.loss as number[])[0] as number;
  expect(loss).toBe((continued.history.loss as number[])[0]);
  if (o.expectedLoss !== undefined) expect(loss).toBeCloseTo(o.expectedLoss, 2);
  expect(loaded.iterations).toBe(2);
  model1.dispose();
  model2.dispose();
  optimizer.dispose();
  loaded.dispose();
  tf.dispose([xs, ys]);
}

/** The softmax model of tfjs-layers' "with metrics" and "without calling fit first" cases. */
function softmaxModel(): tfl.Sequential {
  const model = tfl.sequential();
  model.add(
    tfl.layers.dense({
      units: 3,
      inputShape: [8],
      kernelInitializer: 'ones',
      activation: 'softmax',
    }),
  );
  // tfjs's `optimizer: 'adam'` is tf.train.adam(1e-3, 0.9, 0.999) with the backend's ε, 1e-7.
  model.compile({
    loss: 'categoricalCrossentropy',
    optimizer: adam({ epsilon: 1e-7 }),
    metrics: ['acc'],
  });
  return model;
}

forEachBackend('tf.train compat: tfjs-layers save and load a model with its optimizer', () => {
  it('SGD: loss 26.2144 after loading', async () => {
    await saveLoadCase({
      make: () => sgd({ learningRate: 0.02 }),
      slots: [],
      config: { learningRate: 0.02 },
      expectedLoss: 26.2144,
    });
  });

  it('RMSProp (decay 0.95 → rho): loss 51.768246 after loading', async () => {
    await saveLoadCase({
      make: () => rmsprop({ learningRate: 0.02, rho: 0.95 }),
      slots: ['v'],
      config: { learningRate: 0.02, rho: 0.95 },
      expectedLoss: 51.768246,
    });
  });

  it('Adadelta: config and state restored, resumes exactly (tfjs’s loss 26.2144 comes from its rule)', async () => {
    await saveLoadCase({
      make: () => adadelta({ learningRate: 0.02, rho: 0.95, epsilon: 1e-7 }),
      slots: ['v', 'a'],
      config: { learningRate: 0.02 },
    });
  });

  it('Adagrad (initialAccumulatorValue 0.15): loss 61.153225 after loading', async () => {
    await saveLoadCase({
      make: () => adagrad({ learningRate: 0.02, initialAccumulatorValue: 0.15 }),
      slots: ['sum', 'step'],
      config: { learningRate: 0.02, initialAccumulatorValue: 0.15 },
      expectedLoss: 61.153225,
    });
  });

  it('Adam as an explicit object: loss 61.1524 after loading', async () => {
    await saveLoadCase({
      make: () => adam({ learningRate: 0.02, beta1: 0.95, beta2: 0.98, epsilon: 1e-7 }),
      slots: ['m', 'v', 'step'],
      config: { learningRate: 0.02, beta1: 0.95, beta2: 0.98 },
      expectedLoss: 61.1524,
    });
  });

  it("Adam with tfjs's 'adam' defaults (adam({ epsilon: 1e-7 })): loss 63.8561 after loading", async () => {
    await saveLoadCase({
      make: () => adam({ epsilon: 1e-7 }),
      slots: ['m', 'v', 'step'],
      config: {},
      expectedLoss: 63.8561,
    });
  });

  it('Momentum (0.91): loss 26.2144 after loading', async () => {
    await saveLoadCase({
      make: () => sgd({ learningRate: 0.02, momentum: 0.91 }),
      slots: ['buf', 'step'],
      config: { learningRate: 0.02, momentum: 0.91 },
      expectedLoss: 26.2144,
    });
  });

  it('saving a model with metrics: loss 1.0986123 (acc 0), then 1.086648 (acc 1) after loading', () =>
    expectNoLeaks(async () => {
      const xs = tf.ones([4, 8]);
      const ys = tf.tensor2d([
        [0, 0, 1],
        [0, 0, 1],
        [0, 0, 1],
        [0, 0, 1],
      ]);
      const model1 = softmaxModel();
      let h = await model1.fit(xs, ys, FIT);
      expect((h.history.loss as number[])[0]).toBeCloseTo(1.0986123, 5);
      expect(h.history.acc).toEqual([0]);
      const artifacts = await saveWithOptimizer(model1);
      expect(artifacts.trainingConfig?.loss).toBe('categorical_crossentropy');
      expect(artifacts.trainingConfig?.metrics).toEqual(['acc']);
      const model2 = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
      h = await model2.fit(xs, ys, FIT);
      expect(h.history.loss).toHaveLength(1);
      expect((h.history.loss as number[])[0]).toBeCloseTo(1.086648, 2);
      expect(h.history.acc).toEqual([1]);
      for (const m of [model1, model2]) {
        m.optimizer.dispose();
        m.dispose();
      }
      tf.dispose([xs, ys]);
    }));

  it('saving a model without calling fit first: loaded, it trains from iteration 0 (loss 1.0986123)', () =>
    expectNoLeaks(async () => {
      const xs = tf.ones([4, 8]);
      const ys = tf.tensor2d([
        [0, 0, 1],
        [0, 0, 1],
        [0, 0, 1],
        [0, 0, 1],
      ]);
      const model1 = softmaxModel();
      const artifacts = await saveWithOptimizer(model1);
      expect(artifacts.trainingConfig?.loss).toBe('categorical_crossentropy');
      expect(artifacts.trainingConfig?.metrics).toEqual(['acc']);
      const model2 = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
      const h = await model2.fit(xs, ys, FIT);
      expect(h.history.loss).toHaveLength(1);
      expect((h.history.loss as number[])[0]).toBeCloseTo(1.0986123, 5);
      expect(h.history.acc).toEqual([0]);
      expect(model2.optimizer.iterations).toBe(1);
      for (const m of [model1, model2]) {
        m.optimizer.dispose();
        m.dispose();
      }
      tf.dispose([xs, ys]);
    }));

  it('saving a functional model with two outputs: losses 1.044699 (1.0446988 + 1.936124e-7) after loading', () =>
    expectNoLeaks(async () => {
      const input = tfl.input({ shape: [8] });
      const hidden = tfl.layers
        .dense({ units: 5, kernelInitializer: 'ones', activation: 'relu' })
        .apply(input) as tfl.SymbolicTensor;
      const out1 = tfl.layers.dense({ units: 3, kernelInitializer: 'ones', activation: 'softmax' });
      const out2 = tfl.layers.dense({ units: 1, kernelInitializer: 'ones', activation: 'sigmoid' });
      const model1 = tfl.model({
        inputs: input,
        outputs: [
          out1.apply(hidden) as tfl.SymbolicTensor,
          out2.apply(hidden) as tfl.SymbolicTensor,
        ],
      });
      model1.compile({
        loss: ['categoricalCrossentropy', 'binaryCrossentropy'],
        optimizer: adam({ epsilon: 1e-7 }),
        metrics: ['acc'],
      });
      const xs = tf.ones([4, 8]);
      const ys1 = tf.tensor2d([
        [0, 0, 1],
        [0, 0, 1],
        [0, 0, 1],
        [0, 0, 1],
      ]);
      const ys2 = tf.tensor2d([[1], [1], [1], [1]]);
      await model1.fit(xs, [ys1, ys2], FIT);
      const artifacts = await saveWithOptimizer(model1);
      expect(artifacts.trainingConfig?.loss).toEqual([
        'categorical_crossentropy',
        'binary_crossentropy',
      ]);
      expect(artifacts.trainingConfig?.metrics).toEqual(['acc']);
      const model2 = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
      const h = await model2.fit(xs, [ys1, ys2], FIT);
      expect(h.history.loss).toHaveLength(1);
      expect((h.history.loss as number[])[0]).toBeCloseTo(1.044699, 2);
      expect((h.history[`${out1.name}_loss`] as number[])[0]).toBeCloseTo(1.0446988, 2);
      expect((h.history[`${out2.name}_loss`] as number[])[0]).toBeCloseTo(1.936124e-7, 2);
      expect(h.history[`${out1.name}_acc`]).toEqual([1]);
      expect((h.history[`${out2.name}_acc`] as number[])[0]).toBeCloseTo(1);
      for (const m of [model1, model2]) {
        m.optimizer.dispose();
        m.dispose();
      }
      tf.dispose([xs, ys1, ys2]);
    }));
});
