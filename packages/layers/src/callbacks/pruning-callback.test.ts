import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterEach, expect, it } from 'vitest';
import { forEachBackend } from '@descent/core/testing';
import { adamw } from '@descent/optim';
import { warmupCosineDecay } from '@descent/schedule';
import { saveAndLoad, saveToMemory } from '../test-support/round-trip';
import { PruningCallback } from './pruning-callback';
import { regressionData, tinyModel } from './test-support/tiny-model';

const FIT = { epochs: 3, batchSize: 8, shuffle: false, verbose: 0 } as const;

/**
 * The hidden kernel keeps the odd units' inputs; the output kernel prunes units 0 and 2 (so every
 * kept weight still gets a gradient). 18 of 32 entries kept.
 */
function masksFor(model: tfl.LayersModel): Record<string, tf.Tensor> {
  const [k1, , k2] = model.weights as tfl.LayerVariable[];
  const hidden = tf.tensor2d(
    Array.from({ length: 24 }, (_, i) => i % 2),
    [3, 8],
  );
  const output = tf.tensor2d([0, 1, 0, 1, 1, 1, 1, 1], [8, 1]);
  return { [(k1 as tfl.LayerVariable).name]: hidden, [(k2 as tfl.LayerVariable).name]: output };
}

async function valuesOf(model: tfl.LayersModel): Promise<Float32Array[]> {
  return Promise.all(model.weights.map(async (w) => (await w.read().data()) as Float32Array));
}

const made: { dispose(): void }[] = [];
afterEach(() => {
  for (const m of made.splice(0)) m.dispose();
});

/**
 * Fits `model` with the masks and checks: the masked-out entries are exactly 0 (±0: `w · 0`), every kept entry
 * moved away from its initial value, the biases moved, and the density is 18/32.
 */
async function expectPrunedAfterFit(
  model: tfl.LayersModel,
  masks: Record<string, tf.Tensor>,
): Promise<void> {
  const { xs, ys } = regressionData();
  const before = await valuesOf(model);
  const pruning = new PruningCallback(masks);
  await model.fit(xs, ys, { ...FIT, callbacks: [pruning] });
  const after = await valuesOf(model);
  const maskValues = await Promise.all(Object.values(masks).map((m) => m.data()));
  let kept = 0;
  let total = 0;
  for (const [w, mask] of [
    [0, maskValues[0]],
    [2, maskValues[1]],
  ] as const) {
    (after[w] as Float32Array).forEach((v, i) => {
      total += 1;
      if ((mask as Float32Array)[i] === 0) {
        expect(v === 0, `weight ${w} [${i}] is ${v}`).toBe(true);
      } else {
        kept += 1;
        expect(v, `weight ${w} [${i}] moved`).not.toBe((before[w] as Float32Array)[i]);
        expect(v === 0).toBe(false);
      }
    });
  }
  expect(kept / total).toBe(18 / 32);
  expect(Array.from(after[1] as Float32Array)).not.toEqual(Array.from(before[1] as Float32Array));
  pruning.dispose();
  tf.dispose([xs, ys, ...Object.values(masks)]);
}

forEachBackend('PruningCallback', () => {
  it('keeps pruned weights at exactly 0 under adamw with decoupled weight decay', async () => {
    const model = tinyModel();
    const optimizer = adamw({ learningRate: 0.05, weightDecay: 0.5 });
    made.push(model, optimizer);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    await expectPrunedAfterFit(model, masksFor(model));
  });

  it('keeps pruned weights at exactly 0 under tf.train.adam', async () => {
    const model = tinyModel();
    const optimizer = tf.train.adam(0.05);
    made.push(model, optimizer);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    await expectPrunedAfterFit(model, masksFor(model));
  });

  it('without the callback the same fit moves every weight (the test can fail)', async () => {
    const model = tinyModel();
    const optimizer = adamw({ learningRate: 0.05, weightDecay: 0.5 });
    made.push(model, optimizer);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const { xs, ys } = regressionData();
    await model.fit(xs, ys, FIT);
    const zeros = (await valuesOf(model)).flatMap((w) => Array.from(w)).filter((v) => v === 0);
    expect(zeros).toEqual([]);
    tf.dispose([xs, ys]);
  });

  it('leaves no tensor behind over a fit (after the optimizer has its state)', async () => {
    const model = tinyModel();
    const optimizer = adamw({ learningRate: 0.05 });
    made.push(model, optimizer);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const { xs, ys } = regressionData();
    const masks = masksFor(model);
    await model.fit(xs, ys, { ...FIT, epochs: 1 });
    const before = tf.memory().numTensors;
    const pruning = new PruningCallback(masks);
    await model.fit(xs, ys, { ...FIT, callbacks: [pruning] });
    pruning.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([xs, ys, ...Object.values(masks)]);
  });

  it('prunes a model loaded beside the original, whose weight names got a suffix', async () => {
    const original = tinyModel();
    original.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    const loaded = await saveAndLoad(original);
    const optimizer = tf.train.adam(0.05);
    made.push(original, loaded, optimizer);
    loaded.compile({ optimizer, loss: 'meanSquaredError' });
    const masks = masksFor(original);
    expect(loaded.weights[0]?.name).not.toBe(original.weights[0]?.name);
    const originalBefore = await valuesOf(original);
    await expectPrunedAfterFit(loaded, masks);
    expect(await valuesOf(original)).toEqual(originalBefore);
  });

  it('follows options.names to weights of other names', async () => {
    const model = tinyModel();
    const optimizer = tf.train.adam(0.05);
    made.push(model, optimizer);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const [hidden, output] = Object.values(masksFor(model)) as [tf.Tensor, tf.Tensor];
    const { xs, ys } = regressionData();
    const pruning = new PruningCallback(
      { first: hidden, second: output },
      { names: { first: model.weights[0]?.name ?? '', second: model.weights[2]?.name ?? '' } },
    );
    await model.fit(xs, ys, { ...FIT, epochs: 1, callbacks: [pruning] });
    const [k1, , k2] = await valuesOf(model);
    expect(Array.from(k1 as Float32Array).filter((v) => v === 0).length).toBe(12);
    expect([0, 2].map((i) => Math.abs((k2 as Float32Array)[i] as number))).toEqual([0, 0]);
    expect(pruning.keys).toEqual(['first', 'second']);
    pruning.dispose();
    tf.dispose([xs, ys, hidden, output]);
  });

  it('owns float32 copies: the caller may dispose its masks, int32 masks work', async () => {
    const model = tinyModel();
    const optimizer = tf.train.sgd(0.1);
    made.push(model, optimizer);
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const name = model.weights[2]?.name ?? '';
    const mask = tf.tensor2d([0, 1, 0, 1, 0, 1, 0, 1], [8, 1], 'int32');
    const pruning = new PruningCallback({ [name]: mask });
    mask.dispose();
    const { xs, ys } = regressionData();
    await model.fit(xs, ys, { ...FIT, epochs: 1, callbacks: [pruning] });
    const k2 = Array.from((await valuesOf(model))[2] as Float32Array);
    expect(k2.filter((_, i) => i % 2 === 0).map(Math.abs)).toEqual([0, 0, 0, 0]);
    expect(k2.filter((v, i) => i % 2 === 1 && v !== 0).length).toBe(4);
    const before = tf.memory().numTensors;
    pruning.dispose();
    expect(tf.memory().numTensors).toBe(before - 1);
    tf.dispose([xs, ys]);
  });
});

forEachBackend('PruningCallback through save and load', () => {
  it('a loaded model (suffixed names) resumes the pruned run exactly', async () => {
    const schedule = warmupCosineDecay({
      initValue: 0,
      peakValue: 0.05,
      warmupSteps: 3,
      decaySteps: 12,
    });
    const original = tinyModel();
    original.compile({
      optimizer: adamw({ learningRate: schedule, weightDecay: 0.1 }),
      loss: 'meanSquaredError',
    });
    const masks = masksFor(original);
    const { xs, ys } = regressionData();
    const fitPruned = async (model: tfl.LayersModel, pruning: PruningCallback) =>
      (await model.fit(xs, ys, { ...FIT, epochs: 1, callbacks: [pruning] })).history
        .loss as number[];
    const first = new PruningCallback(masks);
    await fitPruned(original, first);
    const artifacts = await saveToMemory(original, true);
    const uninterrupted = await fitPruned(original, first);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
    made.push(original, loaded, original.optimizer, loaded.optimizer);
    expect(loaded.weights[0]?.name).not.toBe(original.weights[0]?.name);
    const second = new PruningCallback(masks);
    const resumed = await fitPruned(loaded, second);
    expect(resumed).toEqual(uninterrupted);
    expect(await valuesOf(loaded)).toEqual(await valuesOf(original));
    for (const p of [first, second]) p.dispose();
    tf.dispose([xs, ys, ...Object.values(masks)]);
  });
});
