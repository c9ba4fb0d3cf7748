/**
 * The tf.Optimizer contract of descent optimizers, on cpu, wasm and webgpu: getWeights/setWeights
 * resume exactly, state never mixes across variables, nothing leaks, and every failed step or
 * restore throws a DescentError before anything changes. (tfjs-layers: layers-integration.test.ts.)
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import {
  type DescentErrorCode,
  formatShape,
  type HyperParameter,
  registerScheduleKind,
  type Schedule,
  type ScheduleConfig,
} from '@descent/core';
import { expectDescentErrorAsync, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import {
  type Float64Param,
  sampleGradient,
  sampleParams,
  uniqueSuffix,
} from '../test-support/optimizer-harness';
import { chain } from '../transform/chain';
import { numberSlot, perParameter } from '../transform/per-parameter';
import { scaleByAdam } from '../transforms/scale-by-adam';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { type Adam, adam } from './adam';
import { defineOptimizer, NamedOptimizer } from './named-optimizer';
import { chainCheckedOption, hyperOption } from './optimizer-description';
import { fromTransform, type NamedTensor } from './transform-optimizer';

/** A test schedule kind whose type, keys and string option hold underscores (tfjs-layers camel-cases them). */
const HALVING = 'descent_test.step_halving';
interface HalvingOptions {
  init_value: number;
  every_steps: number;
  mode: 'half_step';
}
function stepHalving(config: HalvingOptions): Schedule {
  const { init_value, every_steps, mode } = config;
  return Object.assign((step: number) => init_value * 0.5 ** Math.floor(step / every_steps), {
    config: { type: HALVING, init_value, every_steps, mode },
  });
}
registerScheduleKind(HALVING, (c) => stepHalving(c as ScheduleConfig & HalvingOptions));

/** A schedule that returns `values[step]` (then the last value), for out-of-range tests. */
function listSchedule(values: number[]): Schedule {
  return Object.assign((step: number) => values[Math.min(step, values.length - 1)] as number, {
    config: { type: 'descent_test.list', values },
  });
}

function makeVariables(params: Float64Param[]): tf.Variable[] {
  return params.map((p) =>
    tf.variable(tf.tensor(Float32Array.from(p.values), p.shape), true, p.name),
  );
}

function gradients(params: Float64Param[], step: number): tf.NamedTensorMap {
  const grads: tf.NamedTensorMap = {};
  params.forEach((p, index) => {
    grads[p.name] = tf.tensor(Float32Array.from(sampleGradient(p, index, step)), p.shape);
  });
  return grads;
}

function runSteps(opt: tf.Optimizer, params: Float64Param[], from: number, to: number): void {
  for (let step = from; step < to; step++) {
    const grads = gradients(params, step);
    opt.applyGradients(grads);
    tf.dispose(Object.values(grads));
  }
}

async function values(tensors: tf.Tensor[]): Promise<number[][]> {
  return Promise.all(tensors.map(async (t) => Array.from(await t.data())));
}

/** The optimizer's weights as plain data: `[name, dtype, shape, values]`. */
async function weightValues(opt: tf.Optimizer): Promise<[string, string, number[], number[]][]> {
  const weights = await opt.getWeights();
  return Promise.all(
    weights.map(
      async ({ name, tensor }) =>
        [name, tensor.dtype, tensor.shape, Array.from(await tensor.data())] as [
          string,
          string,
          number[],
          number[],
        ],
    ),
  );
}

/** Weights the test owns (the optimizer's own are valid only until its next getWeights). */
async function ownedWeights(opt: tf.Optimizer): Promise<NamedTensor[]> {
  return (await opt.getWeights()).map(({ name, tensor }) => ({ name, tensor: tf.clone(tensor) }));
}

/** Runs `action`, expects the DescentError, and checks variables, optimizer weights and step count are unchanged. */
async function expectFailsUntouched(
  opt: tf.Optimizer,
  variables: tf.Variable[],
  action: () => unknown,
  code: DescentErrorCode,
  ...parts: string[]
): Promise<void> {
  const before = {
    variables: await values(variables),
    weights: await weightValues(opt),
    iterations: opt.iterations,
  };
  await expectDescentErrorAsync(action, code, ...parts);
  expect(await values(variables)).toEqual(before.variables);
  expect(await weightValues(opt)).toEqual(before.weights);
  expect(opt.iterations).toBe(before.iterations);
}

/** A transformation with non-float32 numbers in its state (a per-parameter number, a running product). */
function scaleByRunningProduct() {
  return perParameter({
    initSlots: () => ({ acc: 0.1 }),
    step(u, slots, { count }) {
      const acc = numberSlot(slots, 'acc') * 1.1 + 1 / 3 + count / 7;
      return { update: tf.mul(u, acc), slots: { acc } };
    },
  });
}

/** A named optimizer with options of every kind, to test configs. */
interface ConfigTestOptions {
  learningRate?: HyperParameter;
  mode?: string;
  table?: Record<string, number>;
  list?: number[];
  callback?: () => void;
}
const ConfigTest = defineOptimizer<ConfigTestOptions>({
  name: 'configTest',
  className: 'descent.ConfigTest',
  options: {
    learningRate: hyperOption(1e-3),
    mode: chainCheckedOption(),
    table: chainCheckedOption(),
    list: chainCheckedOption(),
    callback: chainCheckedOption(),
  },
  chain: ({ learningRate }) => ({
    rule: scaleByAdam(),
    learningRate: scaleByLearningRate(learningRate),
  }),
});
type ConfigTest = NamedOptimizer<ConfigTestOptions>;

forEachBackend('tf.Optimizer integration', () => {
  it('getWeights/setWeights mid-run into a fresh optimizer follows the uninterrupted trajectory exactly', async () => {
    const params = sampleParams(`resume${uniqueSuffix()}`);
    const make = () =>
      adam({
        learningRate: stepHalving({ init_value: 0.05, every_steps: 2, mode: 'half_step' }),
        beta1: 0.8,
        beta2: 0.95,
        amsgrad: true,
        weightDecay: 0.01,
      });
    let variables = makeVariables(params);
    const straight = make();
    runSteps(straight, params, 0, 7);
    const expected = await values(variables);
    straight.dispose();
    tf.dispose(variables);

    variables = makeVariables(params); // the same names again
    const first = make();
    runSteps(first, params, 0, 3);
    const saved = await first.getWeights();
    expect(saved.map((w) => w.name)).toEqual([
      'iter',
      ...params.flatMap((p) => ['m', 'v', 'vmax', 'step'].map((slot) => `${p.name}/${slot}`)),
      '__descent__/0/count',
      '__descent__/1/count',
      '__descent__/2/count',
    ]);
    const second = make();
    await second.setWeights(saved);
    first.dispose(); // frees `saved`: the second optimizer holds copies
    expect(second.iterations).toBe(3);
    runSteps(second, params, 3, 7);
    expect(await values(variables)).toEqual(expected);
    second.dispose();
    tf.dispose(variables);
  });

  it('getWeights returns a snapshot: later steps do not change it', async () => {
    const params = sampleParams(`snapshot${uniqueSuffix()}`);
    const variables = makeVariables(params);
    const opt = adam({ learningRate: 0.1 });
    runSteps(opt, params, 0, 2);
    const weights = await opt.getWeights();
    const before = await values(weights.map((w) => w.tensor));
    runSteps(opt, params, 2, 4);
    expect(await values(weights.map((w) => w.tensor))).toEqual(before);
    opt.dispose();
    tf.dispose(variables);
  });

  it('numbers in the state survive getWeights/setWeights exactly (float64, not float32)', async () => {
    const params = sampleParams(`numbers${uniqueSuffix()}`);
    const make = () => fromTransform(chain(scaleByRunningProduct(), scaleByLearningRate(0.01)));
    let variables = makeVariables(params);
    const straight = make();
    runSteps(straight, params, 0, 6);
    const expected = await values(variables);
    straight.dispose();
    tf.dispose(variables);

    variables = makeVariables(params);
    const first = make();
    runSteps(first, params, 0, 3);
    const saved = await first.getWeights();
    const acc = saved.find((w) => w.name === `${params[0]?.name}/acc`);
    expect(acc?.tensor.dtype).toBe('int32');
    expect(acc?.tensor.shape).toEqual([2]); // float64 bits
    const count = saved.find((w) => w.name === '__descent__/0/count');
    expect(count?.tensor.shape).toEqual([]); // an integer: an int32 scalar
    const second = make();
    await second.setWeights(saved);
    const roundTrip = await weightValues(second);
    expect(roundTrip).toEqual(await weightValues(first));
    first.dispose();
    runSteps(second, params, 3, 6);
    expect(await values(variables)).toEqual(expected);
    second.dispose();
    tf.dispose(variables);
  });

  it('state saved under a renamed variable (name_1, as tfjs-layers renames) resumes on the original name', async () => {
    const base = `layer${uniqueSuffix()}/kernel`;
    const params = sampleParams('unused').slice(0, 1) as [Float64Param];
    const renamed: Float64Param = { ...params[0], name: `${base}_1` };
    const original: Float64Param = { ...params[0], name: base };
    const [v1] = makeVariables([renamed]) as [tf.Variable];
    const opt = adam({ learningRate: 0.05, beta1: 0.8 });
    runSteps(opt, [renamed], 0, 2);
    const atSave = await values([v1]);
    const saved = await ownedWeights(opt);
    expect(saved.map((w) => w.name)).toContain(`${base}_1/m`);
    runSteps(opt, [renamed], 2, 5);
    const expected = await values([v1]);
    opt.dispose();
    v1.dispose();

    // "Another session": the variable now has its original name.
    const v = tf.variable(tf.tensor(atSave[0] as number[], original.shape), true, base);
    const resumed = adam({ learningRate: 0.05, beta1: 0.8 });
    await resumed.setWeights(saved);
    tf.dispose(saved.map((w) => w.tensor));
    runSteps(resumed, [original], 2, 5);
    expect(await values([v])).toEqual(expected);
    // The state keeps the name it was saved under, so saving again stays consistent.
    expect((await resumed.getWeights()).map((w) => w.name)).toContain(`${base}_1/m`);
    resumed.dispose();
    v.dispose();
  });

  it('minimize over any order or subset of variables never mixes state (= one optimizer per variable, per-variable step counts)', async () => {
    const params = sampleParams(`subset${uniqueSuffix()}`);
    const twinParams = sampleParams(`subsetTwin${uniqueSuffix()}`);
    const shared = makeVariables(params);
    const twins = makeVariables(twinParams);
    const options = { learningRate: 0.05, beta1: 0.7, beta2: 0.9, amsgrad: true };
    const opt = adam(options);
    const perVariable = params.map(() => adam(options));
    const term = (v: tf.Variable) => tf.sum(tf.mul(tf.sin(v), tf.square(tf.add(v, 0.5))));
    const plan = [[0, 1, 2], [2, 0], [1], [0, 2, 1], [2], [1, 0], [0]];
    for (const subset of plan) {
      opt.minimize(
        () => tf.addN(shared.map(term)) as tf.Scalar,
        false,
        subset.map((k) => shared[k] as tf.Variable),
      );
      for (const k of subset) {
        const twin = twins[k] as tf.Variable;
        perVariable[k]?.minimize(() => tf.addN([term(twin)]) as tf.Scalar, false, [twin]);
      }
    }
    expect(await values(shared)).toEqual(await values(twins));
    const steps = new Map(
      (await weightValues(opt))
        .filter(([name]) => name.endsWith('/step'))
        .map(([name, , , v]) => [name, v[0]]),
    );
    params.forEach((p, k) => {
      expect(steps.get(`${p.name}/step`)).toBe(plan.filter((s) => s.includes(k)).length);
    });
    opt.dispose();
    for (const o of perVariable) o.dispose();
    tf.dispose([...shared, ...twins]);
  });

  it('applyGradients: a map and an array in any order give the same step', async () => {
    const params = sampleParams(`order${uniqueSuffix()}`);
    const twinParams = sampleParams(`orderTwin${uniqueSuffix()}`);
    const a = makeVariables(params);
    const b = makeVariables(twinParams);
    const optA = adam({ learningRate: 0.1 });
    const optB = adam({ learningRate: 0.1 });
    for (let step = 0; step < 3; step++) {
      const ga = gradients(params, step);
      const gb = gradients(twinParams, step);
      optA.applyGradients(ga);
      optB.applyGradients(
        twinParams.map((p) => ({ name: p.name, tensor: gb[p.name] as tf.Tensor })).reverse(),
      );
      tf.dispose([...Object.values(ga), ...Object.values(gb)]);
    }
    expect(await values(a)).toEqual(await values(b));
    optA.dispose();
    optB.dispose();
    tf.dispose([...a, ...b]);
  });

  it('leaks nothing: 100 steps, getWeights/setWeights cycles, dispose()', async () => {
    const params = sampleParams(`leak${uniqueSuffix()}`).slice(1);
    const variables = makeVariables(params);
    await expectNoLeaks(async () => {
      const opt = adam({ learningRate: 0.01, amsgrad: true, weightDecay: 0.1 });
      runSteps(opt, params, 0, 1); // creates the state
      const before = tf.memory().numTensors;
      runSteps(opt, params, 1, 101);
      expect(tf.memory().numTensors).toBe(before);
      for (let i = 0; i < 100; i++) {
        opt.minimize(
          () => tf.addN(variables.map((v) => tf.sum(tf.square(v)))) as tf.Scalar,
          false,
          variables,
        );
      }
      expect(tf.memory().numTensors).toBe(before);
      await opt.setWeights(await opt.getWeights());
      const cycled = tf.memory().numTensors; // + the snapshot the last getWeights handed out
      for (let i = 0; i < 5; i++) await opt.setWeights(await opt.getWeights());
      runSteps(opt, params, 0, 3);
      expect(tf.memory().numTensors).toBe(cycled);
      const other = adam({ learningRate: 0.01, amsgrad: true, weightDecay: 0.1 });
      await other.setWeights(await opt.getWeights());
      runSteps(other, params, 0, 3);
      other.dispose();
      opt.dispose();
    });
    tf.dispose(variables);
  });

  it('applyGradients: every bad gradient throws before any variable or state changes', async () => {
    const params = sampleParams(`bad${uniqueSuffix()}`);
    const variables = makeVariables(params);
    const [kernel, bias] = params as [Float64Param, Float64Param, Float64Param];
    const opt = adam({ learningRate: 0.1, amsgrad: true });
    runSteps(opt, params, 0, 2);
    const good = () => gradients(params, 2);
    const withBad = (name: string, bad: tf.Tensor) => {
      const g = good();
      const replaced = g[name];
      g[name] = bad;
      replaced?.dispose();
      return g;
    };
    const attempt = (grads: tf.NamedTensorMap) => () => {
      try {
        opt.applyGradients(grads);
      } finally {
        tf.dispose(Object.values(grads));
      }
    };

    await expectFailsUntouched(
      opt,
      variables,
      attempt(withBad(kernel.name, tf.zeros([5, 3]))),
      'SHAPE_MISMATCH',
      kernel.name,
      formatShape([5, 3]),
      formatShape([3, 5]),
    );
    await expectFailsUntouched(
      opt,
      variables,
      attempt({ ...good(), [`nowhere${uniqueSuffix()}`]: tf.zeros([2]) }),
      'UNKNOWN_PARAM',
      'nowhere',
    );
    const disposed = tf.zeros([5]);
    disposed.dispose();
    await expectFailsUntouched(
      opt,
      variables,
      attempt(withBad(bias.name, disposed)),
      'DISPOSED',
      bias.name,
      formatShape([5]),
    );
    await expectFailsUntouched(
      opt,
      variables,
      attempt(withBad(bias.name, tf.zeros([5], 'int32'))),
      'DTYPE_MISMATCH',
      bias.name,
      'int32',
    );
    await expectFailsUntouched(
      opt,
      variables,
      () => opt.applyGradients(null as unknown as tf.NamedTensorMap),
      'BAD_ARGUMENT',
    );
    // A variable this optimizer trained, then disposed.
    const gone = tf.variable(tf.ones([2, 2]), true, `gone${uniqueSuffix()}`);
    const once = { [gone.name]: tf.ones([2, 2]) };
    opt.applyGradients(once);
    gone.dispose();
    await expectFailsUntouched(
      opt,
      variables,
      attempt({ ...good(), [gone.name]: once[gone.name] as tf.Tensor }),
      'DISPOSED',
      gone.name,
      formatShape([2, 2]),
    );
    // minimize with a disposed variable in varList.
    await expectFailsUntouched(
      opt,
      variables,
      () => opt.minimize(() => tf.sum(tf.square(variables[1] as tf.Variable)), false, [gone]),
      'DISPOSED',
      'varList[0]',
    );
    opt.dispose();
    tf.dispose(variables);
  });

  it('hyperparameters: out of range at construction, and a schedule leaving its range mid-run fails that step untouched', async () => {
    await expectDescentErrorAsync(() => adam({ beta1: 1 }), 'BAD_HYPERPARAM', 'beta1', '1');
    await expectDescentErrorAsync(() => adam({ beta1: -0.1 }), 'BAD_HYPERPARAM', 'beta1');
    await expectDescentErrorAsync(() => adam({ beta2: 1 }), 'BAD_HYPERPARAM', 'beta2');
    await expectDescentErrorAsync(
      () => adam({ learningRate: -1e-3 }),
      'BAD_HYPERPARAM',
      'learningRate',
    );
    await expectDescentErrorAsync(
      () => adam({ learningRate: Number.NaN }),
      'NON_FINITE',
      'learningRate',
    );
    await expectDescentErrorAsync(() => adam({ epsilon: -1 }), 'BAD_HYPERPARAM', 'epsilon');
    await expectDescentErrorAsync(
      () => adam({ weightDecay: -0.1 }),
      'BAD_HYPERPARAM',
      'weightDecay',
    );
    await expectDescentErrorAsync(
      () => adam({ learningRate: listSchedule([-1]) }),
      'BAD_HYPERPARAM',
      'learningRate',
      'step 0',
    );

    const params = sampleParams(`sched${uniqueSuffix()}`);
    const variables = makeVariables(params);
    const cases: [string, () => Adam, DescentErrorCode, string][] = [
      [
        'learningRate',
        () => adam({ learningRate: listSchedule([0.1, 0.1, -1]) }),
        'BAD_HYPERPARAM',
        'learningRate',
      ],
      [
        'learningRate NaN',
        () => adam({ learningRate: listSchedule([0.1, 0.1, Number.NaN]) }),
        'NON_FINITE',
        'learningRate',
      ],
      ['beta1', () => adam({ beta1: listSchedule([0.9, 0.9, 1]) }), 'BAD_HYPERPARAM', 'beta1'],
      [
        'weightDecay',
        () => adam({ weightDecay: listSchedule([0.1, 0.1, -0.1]) }),
        'BAD_HYPERPARAM',
        'weightDecay',
      ],
    ];
    for (const [, make, code, name] of cases) {
      const opt = make();
      runSteps(opt, params, 0, 2);
      await expectFailsUntouched(
        opt,
        variables,
        () => runSteps(opt, params, 2, 3),
        code,
        name,
        'step 2',
      );
      opt.dispose();
    }
    tf.dispose(variables);
  });

  it('setWeights: every bad weight list throws before the state changes', async () => {
    const params = sampleParams(`badWeights${uniqueSuffix()}`);
    const variables = makeVariables(params);
    const [kernel] = params as [Float64Param];
    const opt = adam({ learningRate: 0.1 });
    runSteps(opt, params, 0, 2);
    const saved = await ownedWeights(opt);
    const replace = (name: string, tensor: tf.Tensor) =>
      saved.map((w) => (w.name === name ? { name, tensor } : w));
    const owned: tf.Tensor[] = [];
    const own = (t: tf.Tensor) => {
      owned.push(t);
      return t;
    };

    await expectFailsUntouched(
      opt,
      variables,
      () => opt.setWeights({} as unknown as NamedTensor[]),
      'BAD_ARGUMENT',
    );
    await expectFailsUntouched(
      opt,
      variables,
      () => opt.setWeights(replace(`${kernel.name}/m`, own(tf.zeros([5, 3])))),
      'SHAPE_MISMATCH',
      `${kernel.name}/m`,
      formatShape([5, 3]),
      formatShape([3, 5]),
    );
    await expectFailsUntouched(
      opt,
      variables,
      () => opt.setWeights(replace(`${kernel.name}/v`, own(tf.zeros([3, 5], 'int32')))),
      'DTYPE_MISMATCH',
      `${kernel.name}/v`,
    );
    const disposed = tf.zeros([3, 5]);
    disposed.dispose();
    await expectFailsUntouched(
      opt,
      variables,
      () => opt.setWeights(replace(`${kernel.name}/m`, disposed)),
      'DISPOSED',
      `${kernel.name}/m`,
    );
    const stranger = `stranger${uniqueSuffix()}/kernel`;
    await expectFailsUntouched(
      opt,
      variables,
      () => opt.setWeights([...saved, { name: `${stranger}/m`, tensor: own(tf.zeros([2])) }]),
      'UNKNOWN_PARAM',
      stranger,
    );
    await expectFailsUntouched(
      opt,
      variables,
      () => opt.setWeights(saved.filter((w) => w.name !== `${kernel.name}/v`)),
      'UNKNOWN_PARAM',
      'missing',
      `${kernel.name}/v`,
    );
    await expectFailsUntouched(
      opt,
      variables,
      () =>
        opt.setWeights([...saved, { name: `${kernel.name}/vmax`, tensor: own(tf.zeros([3, 5])) }]),
      'UNKNOWN_PARAM',
      'unknown',
      `${kernel.name}/vmax`,
    );
    await expectFailsUntouched(
      opt,
      variables,
      () => opt.setWeights(replace(`${kernel.name}/step`, own(tf.zeros([3])))),
      'SHAPE_MISMATCH',
      `${kernel.name}/step`,
    );
    await expectFailsUntouched(
      opt,
      variables,
      () => opt.setWeights(replace('iter', own(tf.zeros([2], 'int32')))),
      'SHAPE_MISMATCH',
      'iter',
    );
    await expectFailsUntouched(
      opt,
      variables,
      () => opt.setWeights([...saved, saved[1] as NamedTensor]),
      'BAD_ARGUMENT',
      'twice',
    );
    // An optimizer of another kind: Adam with AMSGrad has a slot this one lacks.
    const amsgrad = adam({ learningRate: 0.1, amsgrad: true });
    await expectDescentErrorAsync(
      () => amsgrad.setWeights(saved),
      'UNKNOWN_PARAM',
      'missing',
      '/vmax',
    );
    amsgrad.dispose();

    // After all that, the optimizer still resumes from `saved` exactly.
    const straight = await values(variables);
    runSteps(opt, params, 2, 4);
    const expected = await values(variables);
    variables.forEach((v, k) => {
      v.assign(tf.tensor(straight[k] as number[], v.shape));
    });
    await opt.setWeights(saved);
    runSteps(opt, params, 2, 4);
    expect(await values(variables)).toEqual(expected);
    opt.dispose();
    tf.dispose([...owned, ...saved.map((w) => w.tensor), ...variables]);
  });

  it('restored state follows a tfjs-layers-renamed variable only when unambiguous and of the same shape', async () => {
    const base = `dense${uniqueSuffix()}/kernel`;
    const old = tf.variable(tf.ones([2, 3]), true, base);
    const opt = adam({ learningRate: 0.1 });
    opt.applyGradients({ [base]: tf.ones([2, 3]) });
    const saved = await ownedWeights(opt);
    opt.dispose();
    // A renamed variable of another shape cannot take the state over.
    const wrong = tf.variable(tf.ones([3, 2]), true, `${base}_1`);
    const restored = adam({ learningRate: 0.1 });
    await restored.setWeights(saved);
    await expectFailsUntouched(
      restored,
      [old, wrong],
      () => restored.applyGradients({ [wrong.name]: tf.ones([3, 2]) }),
      'SHAPE_MISMATCH',
      wrong.name,
      base,
    );
    // One of the same shape takes it over; the original may then not share it.
    const right = tf.variable(tf.ones([2, 3]), true, `${base}_2`);
    restored.applyGradients({ [right.name]: tf.ones([2, 3]) });
    expect((await restored.getWeights()).map((w) => w.name)).toContain(`${base}/m`);
    await expectFailsUntouched(
      restored,
      [old, right],
      () => restored.applyGradients({ [base]: tf.ones([2, 3]) }),
      'BAD_ARGUMENT',
      base,
      right.name,
    );
    restored.dispose();
    tf.dispose([old, wrong, right, ...saved.map((w) => w.tensor)]);
  });

  it('a transformation may keep a gradient in its state although the caller disposes it', async () => {
    const params = sampleParams(`keepGrad${uniqueSuffix()}`);
    const variables = makeVariables(params);
    // u_t = g_t + g_{t−1}: the state holds the previous gradient itself.
    const withPrevious = perParameter({
      initSlots: (like) => ({ last: tf.zerosLike(like) }),
      step: (g, slots) => ({ update: tf.add(g, slots.last as tf.Tensor), slots: { last: g } }),
    });
    const opt = fromTransform(chain(withPrevious, scaleByLearningRate(0.1)));
    runSteps(opt, params, 0, 4); // disposes each step's gradients after applyGradients
    const saved = new Map((await weightValues(opt)).map(([name, , , v]) => [name, v]));
    params.forEach((p, k) => {
      expect(saved.get(`${p.name}/last`)).toEqual(
        Array.from(Float32Array.from(sampleGradient(p, k, 3))),
      );
    });
    opt.dispose();
    tf.dispose(variables);
  });

  it('a fromTransform optimizer trains and saves its state, but has no config', async () => {
    const opt = fromTransform(chain(scaleByAdam(), scaleByLearningRate(0.1)));
    await expectDescentErrorAsync(
      () => opt.getConfig(),
      'BAD_ARGUMENT',
      'fromTransform',
      'named optimizer',
    );
    opt.dispose();
  });
});

describe('named optimizer configs', () => {
  it('round-trip every kind of option; underscores survive tfjs-layers case conversion', () => {
    const opt = new ConfigTest({
      learningRate: stepHalving({ init_value: 0.1, every_steps: 3, mode: 'half_step' }),
      mode: 'snake_case_value',
      table: { 'dense_Dense1/kernel': 1, '50%_off': 2 },
      list: [1, 2],
    });
    const config = opt.getConfig();
    expect(JSON.stringify(config)).not.toContain('_');
    const back = NamedOptimizer.fromConfig(ConfigTest, {
      ...(JSON.parse(JSON.stringify(config)) as tf.serialization.ConfigDict),
      customObjects: {}, // tfjs-layers adds it
    }) as ConfigTest;
    expect(back).toBeInstanceOf(ConfigTest);
    const { learningRate, ...rest } = back.options;
    expect(rest).toEqual({
      mode: 'snake_case_value',
      table: { 'dense_Dense1/kernel': 1, '50%_off': 2 },
      list: [1, 2],
    });
    expect((learningRate as Schedule).config).toEqual({
      type: HALVING,
      init_value: 0.1,
      every_steps: 3,
      mode: 'half_step',
    });
    expect((learningRate as Schedule)(7)).toBe(0.025);
    opt.dispose();
    back.dispose();
  });

  it('an option that cannot be saved (a function) makes getConfig throw naming it', async () => {
    const opt = new ConfigTest({ callback: () => {} });
    await expectDescentErrorAsync(() => opt.getConfig(), 'BAD_ARGUMENT', 'callback', 'function');
    opt.dispose();
  });
});
