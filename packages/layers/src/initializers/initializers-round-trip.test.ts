import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { forEachBackend } from '@descent/core/testing';
import { adamw } from '@descent/optim';
import { warmupCosineDecay } from '@descent/schedule';
import { expect, it } from 'vitest';
import {
  expectResumesExactly,
  jsonRoundTrip,
  predictData,
  saveAndLoad,
  weightData,
} from '../test-support/round-trip';
import { SCHEMES } from './test-support/schemes';

const INPUT = [4, 4, 2];

/**
 * A small CNN + MLP with one kernel layer per initializer: the first two in the convolutions
 * (delta-orthogonal among them: it needs a conv kernel), the others in the dense layers. With
 * `withConv: false` (training: the wasm backend has no conv2d filter gradient) the MLP only.
 */
function modelWithEveryInitializer(seed = 0, withConv = true): tfl.Sequential {
  const conv = withConv ? SCHEMES.filter((s) => s.name === 'lecunNormal' || s.dense === null) : [];
  const dense = SCHEMES.filter((s) => !conv.includes(s) && s.dense !== null);
  const initializerOf = (s: (typeof SCHEMES)[number]) =>
    s.make({ ...s.options, seed: seed + SCHEMES.indexOf(s) });
  return tfl.sequential({
    layers: [
      tfl.layers.inputLayer({ inputShape: INPUT }),
      ...conv.map((s) =>
        tfl.layers.conv2d({
          filters: 4,
          kernelSize: 3,
          padding: 'same',
          kernelInitializer: initializerOf(s),
        }),
      ),
      tfl.layers.flatten(),
      ...dense.map((s) =>
        tfl.layers.dense({ units: 5, activation: 'tanh', kernelInitializer: initializerOf(s) }),
      ),
    ],
  });
}

function kernelInitializers(model: tfl.LayersModel): { className: string; config: unknown }[] {
  return model.layers.flatMap((layer) => {
    const initializer = (layer as { kernelInitializer?: tf.serialization.Serializable })
      .kernelInitializer;
    return initializer
      ? [{ className: initializer.getClassName(), config: initializer.getConfig() }]
      : [];
  });
}

function data(): { xs: tf.Tensor; ys: tf.Tensor } {
  const xs = tf.tensor(
    Array.from({ length: 16 * 32 }, (_, i) => Math.sin(i * 0.37)),
    [16, ...INPUT],
  );
  const ys = tf.tensor(
    Array.from({ length: 16 * 5 }, (_, i) => Math.cos(i * 0.11)),
    [16, 5],
  );
  return { xs, ys };
}

function disposeModel(model: tfl.LayersModel): void {
  model.optimizer?.dispose();
  model.dispose();
}

forEachBackend('descent initializers through tfjs-layers serialization', () => {
  it('the model holds every class under its descent.* name', () => {
    const model = modelWithEveryInitializer();
    expect(
      kernelInitializers(model)
        .map((k) => k.className)
        .sort(),
    ).toEqual(SCHEMES.map((s) => s.className).sort());
    disposeModel(model);
  });

  it('toJSON → modelFromJSON rebuilds every initializer, and the rebuilt model’s fresh weights are the original’s', async () => {
    const model = modelWithEveryInitializer();
    const json = JSON.parse(model.toJSON() as string);
    const rebuilt = await tfl.models.modelFromJSON({ modelTopology: json });
    expect(kernelInitializers(rebuilt)).toEqual(kernelInitializers(model));
    expect(await weightData(rebuilt)).toEqual(await weightData(model));
    disposeModel(rebuilt);
    const copied = await jsonRoundTrip(model);
    const { xs } = data();
    expect(await predictData(copied, xs)).toEqual(await predictData(model, xs));
    tf.dispose(xs);
    disposeModel(copied);
    disposeModel(model);
  });

  it('save → loadLayersModel restores the initializers (class and config) and the weights', async () => {
    const model = modelWithEveryInitializer(100);
    const loaded = await saveAndLoad(model);
    expect(kernelInitializers(loaded)).toEqual(kernelInitializers(model));
    expect(await weightData(loaded)).toEqual(await weightData(model));
    disposeModel(loaded);
    disposeModel(model);
  });

  // The same kernels run in the same order on one backend: resuming is bit for bit (rtol 0).
  it('a model initialized by them resumes training exactly after save → load (adamw, warmup-cosine)', async () => {
    const { xs, ys } = data();
    await expectResumesExactly(
      () => {
        const model = modelWithEveryInitializer(7, false);
        model.compile({
          optimizer: adamw({
            learningRate: warmupCosineDecay({
              initValue: 0,
              peakValue: 0.01,
              warmupSteps: 2,
              decaySteps: 10,
            }),
            weightDecay: 0.01,
          }),
          loss: 'meanSquaredError',
        });
        return model;
      },
      xs,
      ys,
      { warmupEpochs: 2, batchSize: 8, rtol: 0 },
    );
    tf.dispose([xs, ys]);
  });
});
