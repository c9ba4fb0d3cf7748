/**
 * Test support (not exported): tfjs-layers serialization round trips, shared by every layer,
 * wrapper and initializer test of this package.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect } from 'vitest';

/** Saves `model` the way a file would hold it: JSON parts through JSON, weights as one buffer. */
export async function saveToMemory(
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

/** `model.save(…)` then `tf.loadLayersModel(tf.io.fromMemory(…))`. */
export async function saveAndLoad(
  model: tfl.LayersModel,
  includeOptimizer = false,
): Promise<tfl.LayersModel> {
  return tfl.loadLayersModel(tf.io.fromMemory(await saveToMemory(model, includeOptimizer)));
}

/**
 * `model.toJSON()` → `tf.models.modelFromJSON`, then the original's weights copied in (the
 * topology carries no weights): the rebuilt model must compute the same function.
 */
export async function jsonRoundTrip(model: tfl.LayersModel): Promise<tfl.LayersModel> {
  const json = JSON.parse(model.toJSON() as string);
  const rebuilt = await tfl.models.modelFromJSON({ modelTopology: json });
  rebuilt.setWeights(model.getWeights());
  return rebuilt;
}

/** Every weight of `model` read back, in `model.weights` order. */
export async function weightData(model: tfl.LayersModel): Promise<number[][]> {
  return Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
}

/** The values of `model.predict(x)` (one output), read back and disposed. */
export async function predictData(model: tfl.LayersModel, x: tf.Tensor): Promise<Float32Array> {
  const y = model.predict(x) as tf.Tensor;
  const values = (await y.data()) as Float32Array;
  y.dispose();
  return values;
}

/** Per-epoch training losses of `epochs` more epochs of `model.fit` (no shuffling). */
export async function fitLosses(
  model: tfl.LayersModel,
  xs: tf.Tensor,
  ys: tf.Tensor,
  epochs: number,
  batchSize: number,
): Promise<number[]> {
  const history = await model.fit(xs, ys, { epochs, batchSize, shuffle: false, verbose: 0 });
  return history.history.loss as number[];
}

/**
 * The save-and-resume contract: after `warmupEpochs` of fit, `model.save(…, { includeOptimizer:
 * true })` → `tf.loadLayersModel` gives a model whose next epoch has the same losses as the
 * uninterrupted model's next epoch (relative tolerance `rtol`, 0 = bit for bit) and ends with the
 * same weights. `build` makes and compiles a fresh model (its optimizer included). Disposes what
 * it made.
 */
export async function expectResumesExactly(
  build: () => tfl.LayersModel,
  xs: tf.Tensor,
  ys: tf.Tensor,
  options: { warmupEpochs?: number; batchSize?: number; rtol?: number } = {},
): Promise<void> {
  const { warmupEpochs = 2, batchSize = 8, rtol = 0 } = options;
  const original = build();
  await fitLosses(original, xs, ys, warmupEpochs, batchSize);
  const artifacts = await saveToMemory(original, true);
  const uninterrupted = await fitLosses(original, xs, ys, 1, batchSize);
  const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
  expect(loaded.optimizer?.getClassName()).toBe(original.optimizer.getClassName());
  const resumed = await fitLosses(loaded, xs, ys, 1, batchSize);
  expectRelativelyClose(resumed, uninterrupted, rtol, 'losses of the epoch after loading');
  const [a, b] = [await weightData(loaded), await weightData(original)];
  expectRelativelyClose(a.flat(), b.flat(), rtol, 'weights after that epoch');
  for (const m of [original, loaded]) {
    m.optimizer?.dispose();
    m.dispose();
  }
}

function expectRelativelyClose(
  actual: number[],
  expected: number[],
  rtol: number,
  what: string,
): void {
  expect(actual.length, what).toBe(expected.length);
  if (rtol === 0) {
    expect(actual, what).toEqual(expected);
    return;
  }
  actual.forEach((a, i) => {
    const e = expected[i] as number;
    expect(Math.abs(a - e), `${what} [${i}]: ${a} vs ${e}`).toBeLessThanOrEqual(
      rtol * Math.max(1, Math.abs(e)),
    );
  });
}
