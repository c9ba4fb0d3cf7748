import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { adamw } from '@descent/optim';
import { warmupCosineDecay } from '@descent/schedule';
import {
  expectResumesExactly,
  jsonRoundTrip,
  predictData,
  saveAndLoad,
  weightData,
} from '../test-support/round-trip';
import { batchRenormalization } from './batch-renormalization';
import { groupNormalization } from './group-normalization';
import { instanceNormalization } from './instance-normalization';
import { layerNormalization } from './layer-normalization';
import { sampleTensor } from './test-support/layer-vs-op';

/** dense → [2, 2, 8] → the four normalizations (non-default options) → dense, compiled with adamw on a schedule. */
function buildModel(): tfl.LayersModel {
  const model = tfl.sequential();
  model.add(tfl.layers.dense({ inputShape: [6], units: 32, kernelInitializer: 'glorotNormal' }));
  model.add(tfl.layers.reshape({ targetShape: [2, 2, 8] }));
  model.add(groupNormalization({ groups: 4, epsilon: 0.01, gammaRegularizer: 'l1l2' }));
  model.add(instanceNormalization({ gammaConstraint: 'nonNeg' }));
  model.add(layerNormalization({ axis: [2, 3], center: false }));
  model.add(batchRenormalization({ momentum: 0.9, rMax: 2, dMax: 1 }));
  model.add(tfl.layers.flatten());
  model.add(tfl.layers.dense({ units: 2 }));
  const learningRate = warmupCosineDecay({
    initValue: 0,
    peakValue: 0.02,
    warmupSteps: 3,
    decaySteps: 20,
  });
  model.compile({
    optimizer: adamw({ learningRate, weightDecay: 0.01 }),
    loss: 'meanSquaredError',
  });
  return model;
}

const data = () => ({ xs: sampleTensor([16, 6], 40, 1.5), ys: sampleTensor([16, 2], 41) });

async function trained(): Promise<tfl.LayersModel> {
  const model = buildModel();
  const { xs, ys } = data();
  await model.fit(xs, ys, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
  tf.dispose([xs, ys]);
  return model;
}

function dispose(...models: tfl.LayersModel[]): void {
  for (const m of models) {
    m.optimizer?.dispose();
    m.dispose();
  }
}

forEachBackend('normalization layers serialization', () => {
  it('model.toJSON() → modelFromJSON rebuilds the four layers with their options and the same outputs', async () => {
    const model = await trained();
    const rebuilt = await jsonRoundTrip(model);
    expect(rebuilt.layers.map((l) => l.getClassName())).toEqual(
      model.layers.map((l) => l.getClassName()),
    );
    expect(rebuilt.layers.map((l) => l.getConfig())).toEqual(
      model.layers.map((l) => l.getConfig()),
    );
    const x = sampleTensor([5, 6], 42, 2);
    const [a, b] = [await predictData(rebuilt, x), await predictData(model, x)];
    await expectClose(a, b, { rtol: 0, atol: 0 });
    expect(Math.max(...Array.from(a, Math.abs))).toBeGreaterThan(0);
    x.dispose();
    dispose(model, rebuilt);
  });

  it('save → loadLayersModel restores the weights (moving statistics included) and the outputs', async () => {
    const model = await trained();
    const loaded = await saveAndLoad(model);
    expect(await weightData(loaded)).toEqual(await weightData(model));
    expect(loaded.getWeights().length).toBe(model.getWeights().length);
    const x = sampleTensor([5, 6], 43, 2);
    await expectClose(await predictData(loaded, x), await predictData(model, x), {
      rtol: 0,
      atol: 0,
    });
    x.dispose();
    dispose(model, loaded);
  });

  it('fit, predict and evaluate leak nothing once the optimizer state exists', async () => {
    const model = await trained();
    const { xs, ys } = data();
    await expectNoLeaks(async () => {
      await model.fit(xs, ys, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
      const y = model.predict(xs) as tf.Tensor;
      const loss = model.evaluate(xs, ys, { batchSize: 8 }) as tf.Scalar;
      await loss.data();
      tf.dispose([y, loss]);
    });
    tf.dispose([xs, ys]);
    dispose(model);
  });

  // Saving and loading moves no value through arithmetic: the resumed epoch is bit for bit the same.
  it('with includeOptimizer, a loaded model resumes fit exactly (adamw state and schedule step restored)', async () => {
    const { xs, ys } = data();
    await expectResumesExactly(buildModel, xs, ys, { warmupEpochs: 2, batchSize: 8, rtol: 0 });
    tf.dispose([xs, ys]);
  });
});
