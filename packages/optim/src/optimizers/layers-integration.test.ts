/**
 * descent optimizers inside tfjs-layers (cpu): model.compile + fit, and model.save with
 * `includeOptimizer` + tf.loadLayersModel resuming the exact trajectory.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  isDescentError,
  registerScheduleKind,
  type Schedule,
  type ScheduleConfig,
  useBackend,
} from '@descent/core';
import { chain } from '../transform/chain';
import { scaleByAdam } from '../transforms/scale-by-adam';
import { scaleByLearningRate } from '../transforms/scale-by-learning-rate';
import { Adam, adam } from './adam';
import { AdamW, adamw } from './adamw';
import { fromTransform } from './transform-optimizer';

/** A test schedule kind whose type, keys and string option hold underscores (tfjs-layers camel-cases them on load). */
const HALVING = 'descent_test.step_halving';
interface HalvingOptions {
  init_value: number;
  every_steps: number;
  mode: 'half_step';
}
function stepHalving(options: HalvingOptions): Schedule {
  const { init_value, every_steps, mode } = options;
  return Object.assign((step: number) => init_value * 0.5 ** Math.floor(step / every_steps), {
    config: { type: HALVING, init_value, every_steps, mode },
  });
}
registerScheduleKind(HALVING, (c) => stepHalving(c as ScheduleConfig & HalvingOptions));

/** 24 fixed examples of a smooth function of 3 inputs. */
function dataset(): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  const n = 24;
  const x = Array.from({ length: n * 3 }, (_, i) => Math.sin(0.37 * i + 0.2) * 1.5);
  const y = Array.from({ length: n }, (_, i) => {
    const [a, b, c] = [x[3 * i] as number, x[3 * i + 1] as number, x[3 * i + 2] as number];
    return Math.tanh(a - 2 * b) + 0.5 * c;
  });
  return { xs: tf.tensor2d(x, [n, 3]), ys: tf.tensor2d(y, [n, 1]) };
}

function buildModel(): tfl.Sequential {
  const model = tfl.sequential();
  model.add(
    tfl.layers.dense({
      units: 8,
      inputShape: [3],
      activation: 'tanh',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: 7 }),
    }),
  );
  model.add(
    tfl.layers.dense({ units: 1, kernelInitializer: tfl.initializers.glorotUniform({ seed: 8 }) }),
  );
  return model;
}

const FIT = { batchSize: 8, shuffle: false, verbose: 0 } as const;

/** Saves like a file would: the JSON parts through JSON, the weights as one buffer. */
async function saveToMemory(
  model: tfl.LayersModel,
  includeOptimizer: boolean,
): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer },
  );
  const artifacts = saved as tf.io.ModelArtifacts;
  return {
    ...artifacts,
    modelTopology: JSON.parse(JSON.stringify(artifacts.modelTopology)),
    trainingConfig: JSON.parse(JSON.stringify(artifacts.trainingConfig ?? null)) ?? undefined,
    weightSpecs: JSON.parse(JSON.stringify(artifacts.weightSpecs)),
  };
}

async function weightData(model: tfl.LayersModel): Promise<number[][]> {
  return Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
}

async function optimizerState(opt: tf.Optimizer): Promise<[string, number[]][]> {
  const weights = await opt.getWeights();
  return Promise.all(
    weights.map(async (w) => [w.name, Array.from(await w.tensor.data())] as [string, number[]]),
  );
}

async function evaluate(model: tfl.LayersModel, xs: tf.Tensor, ys: tf.Tensor): Promise<number> {
  const loss = model.evaluate(xs, ys) as tf.Scalar;
  const value = (await loss.data())[0] as number;
  loss.dispose();
  return value;
}

describe('tfjs-layers integration [cpu]', () => {
  let xs: tf.Tensor2D;
  let ys: tf.Tensor2D;
  beforeAll(async () => {
    await useBackend('cpu'); // also registers the gradients tfjs-layers needs
    ({ xs, ys } = dataset());
  });
  beforeEach(async () => {
    if (tf.getBackend() !== 'cpu') await tf.setBackend('cpu');
  });

  it('model.compile({ optimizer: adam(…) }) + fit lowers the loss; so does adamw', async () => {
    for (const optimizer of [
      adam({ learningRate: 0.02 }),
      adamw({ learningRate: 0.02, weightDecay: 0.01 }),
    ]) {
      const model = buildModel();
      model.compile({ optimizer, loss: 'meanSquaredError' });
      const before = await evaluate(model, xs, ys);
      const history = await model.fit(xs, ys, { ...FIT, epochs: 40 });
      const after = await evaluate(model, xs, ys);
      expect(history.history.loss).toHaveLength(40);
      expect(after).toBeLessThan(0.5 * before);
      model.dispose();
      optimizer.dispose();
    }
  });

  it('model.save({ includeOptimizer }) + loadLayersModel restores the optimizer and resumes the exact trajectory', async () => {
    const learningRate = stepHalving({ init_value: 0.03, every_steps: 5, mode: 'half_step' });
    const options = { learningRate, beta1: 0.8, beta2: 0.99, amsgrad: true, weightDecay: 1e-3 };
    const original = buildModel();
    const optimizer = adam(options);
    original.compile({ optimizer, loss: 'meanSquaredError' });
    await original.fit(xs, ys, { ...FIT, epochs: 2 });
    const stateAtSave = await optimizerState(optimizer);
    const artifacts = await saveToMemory(original, true);
    expect(artifacts.trainingConfig?.optimizer_config).toMatchObject({
      class_name: 'descent.Adam',
    });

    await original.fit(xs, ys, { ...FIT, epochs: 3 });
    const expected = await weightData(original);

    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
    // tfjs-layers renamed the loaded variables (the original model is alive): dense_Dense1/kernel_1, …
    expect(loaded.weights[0]?.name).not.toBe(original.weights[0]?.name);
    const restored = loaded.optimizer as Adam;
    expect(restored).toBeInstanceOf(Adam);
    expect(restored.getClassName()).toBe('descent.Adam');
    const { learningRate: schedule, ...rest } = restored.options;
    expect(rest).toEqual({ beta1: 0.8, beta2: 0.99, amsgrad: true, weightDecay: 1e-3 });
    expect((schedule as Schedule).config).toEqual(learningRate.config);
    expect(restored.iterations).toBe(optimizer.iterations - 9); // 2 epochs of 3 batches = 6 steps
    expect(await optimizerState(restored)).toEqual(stateAtSave);

    await loaded.fit(xs, ys, { ...FIT, epochs: 3 });
    expect(await weightData(loaded)).toEqual(expected);
    // The state keeps the names it was saved under (tfjs-layers saves model weights the same way).
    expect((await optimizerState(restored)).map(([name]) => name)).toEqual(
      (await optimizerState(optimizer)).map(([name]) => name),
    );
    expect(await optimizerState(restored)).toEqual(await optimizerState(optimizer));

    // Save the resumed model and load it again (variables renamed once more): still exact.
    const again = await saveToMemory(loaded, true);
    const third = await tfl.loadLayersModel(tf.io.fromMemory(again));
    await loaded.fit(xs, ys, { ...FIT, epochs: 2 });
    await third.fit(xs, ys, { ...FIT, epochs: 2 });
    expect(await weightData(third)).toEqual(await weightData(loaded));

    for (const m of [original, loaded, third]) m.dispose();
    for (const o of [optimizer, restored, third.optimizer]) o.dispose();
  });

  it('adamw with a weight-decay mask (names with underscores) saves, loads and resumes exactly', async () => {
    const original = buildModel();
    const biases = original.weights.filter((w) => w.name.endsWith('bias')).map((w) => w.name);
    expect(biases.every((name) => name.includes('_'))).toBe(true);
    const optimizer = adamw({
      learningRate: 0.03,
      weightDecay: 0.5,
      weightDecayMask: Object.fromEntries(biases.map((name) => [name, false])),
    });
    original.compile({ optimizer, loss: 'meanSquaredError' });
    await original.fit(xs, ys, { ...FIT, epochs: 2 });
    const artifacts = await saveToMemory(original, true);
    await original.fit(xs, ys, { ...FIT, epochs: 2 });

    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
    const restored = loaded.optimizer as AdamW;
    expect(restored).toBeInstanceOf(AdamW);
    expect(restored.options.weightDecayMask).toEqual(optimizer.options.weightDecayMask);
    await loaded.fit(xs, ys, { ...FIT, epochs: 2 });
    expect(await weightData(loaded)).toEqual(await weightData(original));
    original.dispose();
    loaded.dispose();
    optimizer.dispose();
    restored.dispose();
  });

  it('a fromTransform optimizer trains in fit; saving it with includeOptimizer fails clearly', async () => {
    const optimizer = fromTransform(chain(scaleByAdam({ beta1: 0.8 }), scaleByLearningRate(0.02)));
    const model = buildModel();
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const before = await evaluate(model, xs, ys);
    await model.fit(xs, ys, { ...FIT, epochs: 20 });
    expect(await evaluate(model, xs, ys)).toBeLessThan(before);
    const error = await saveToMemory(model, true).catch((e: unknown) => e);
    expect(isDescentError(error) && error.code).toBe('BAD_ARGUMENT');
    expect(String((error as Error).message)).toContain('fromTransform');
    const withoutOptimizer = await saveToMemory(model, false);
    expect(withoutOptimizer.trainingConfig).toBeUndefined();
    model.dispose();
    optimizer.dispose();
  });

  it('leaks nothing across fit, save and load (besides the models and optimizers, disposed at the end)', async () => {
    const before = tf.memory().numTensors;
    const model = buildModel();
    const optimizer = adam({ learningRate: 0.01 });
    model.compile({ optimizer, loss: 'meanSquaredError' });
    await model.fit(xs, ys, { ...FIT, epochs: 2 });
    const afterFirst = tf.memory().numTensors;
    await model.fit(xs, ys, { ...FIT, epochs: 5 });
    expect(tf.memory().numTensors).toBe(afterFirst);
    const artifacts = await saveToMemory(model, true);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
    await loaded.fit(xs, ys, { ...FIT, epochs: 1 });
    for (const m of [model, loaded]) m.dispose();
    for (const o of [optimizer, loaded.optimizer]) o.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
