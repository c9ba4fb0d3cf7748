import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { groupNormalization, layerNormalization } from '@descent/layers';
import type { BenchCase } from '../bench-case';
import type { MeasureOptions } from '../measure';

/** A layer stack: what comes between the input and the closing dense layer (ending in rank 2). */
type Body = (model: tfl.Sequential) => void;

/**
 * One training step — forward, backward and the optimizer's update via `optimizer.minimize` on
 * `model.apply(x, { training: true })` and a mean squared error — of two tfjs-layers models that
 * differ only in their normalization. Both update with plain SGD (one kernel per variable), so
 * that the step's time is the models' forward and backward. `elements` counts the normalized
 * activations per step, and `bytesPerStep` the normalization's minimum traffic, 20 bytes per
 * element (forward reads x and writes y; backward reads x and dy, writes dx): the GB/s columns
 * describe the normalization alone, not the step.
 */
function fitStepCase(
  name: string,
  features: number,
  batch: number,
  normalized: number,
  descentBody: Body,
  baselineBody: Body,
  budget: MeasureOptions,
): BenchCase {
  const elements = batch * normalized;
  return {
    name,
    elements,
    bytesPerStep: elements * 20,
    budget,
    setup() {
      const x = tf.randomNormal([batch, features]);
      const y = tf.randomNormal([batch, 10]);
      const build = (body: Body) => {
        const model = tfl.sequential();
        model.add(tfl.layers.inputLayer({ inputShape: [features] }));
        body(model);
        model.add(tfl.layers.dense({ units: 10 }));
        const optimizer = tf.train.sgd(1e-3);
        const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
        const step = () => {
          optimizer.minimize(
            () => tf.losses.meanSquaredError(y, model.apply(x, { training: true }) as tf.Tensor),
            false,
            variables,
          );
        };
        return { model, optimizer, step, witness: variables[variables.length - 1] as tf.Tensor };
      };
      const contenders = { descent: build(descentBody), baseline: build(baselineBody) };
      return {
        descent: contenders.descent.step,
        baseline: contenders.baseline.step,
        witness: (who) => contenders[who].witness,
        dispose: () => {
          for (const c of Object.values(contenders)) {
            c.optimizer.dispose();
            c.model.dispose();
          }
          tf.dispose([x, y]);
        },
      };
    },
  };
}

/**
 * dense(`features` → `width`) → layer norm → dense(10), batch `batch`: descent's
 * `layerNormalization()` against tfjs-layers' `layerNormalization()` (ε 1e-3 both, the same
 * weights' shapes and config).
 */
export function layersLayerNormFitCase(
  batch: number,
  features: number,
  width: number,
  budget: MeasureOptions,
): BenchCase {
  const dense = (model: tfl.Sequential) => model.add(tfl.layers.dense({ units: width }));
  return fitStepCase(
    `layers-norm fit step: layerNormalization vs tfjs LayerNormalization, batch ${batch}, dense ${features}→${width}`,
    features,
    batch,
    width,
    (model) => {
      dense(model);
      model.add(layerNormalization());
    },
    (model) => {
      dense(model);
      model.add(tfl.layers.layerNormalization());
    },
    budget,
  );
}

/**
 * dense(`features` → `positions`·`channels`) → `[positions, channels]` → group norm (`groups`) →
 * dense(10), batch `batch`: descent's `groupNormalization({ groups })` against group norm spelled
 * with tfjs-layers' own layers — reshape to `[positions, G, C/G]`, `layerNormalization({ axis:
 * [1, 3] })` (the statistics of each sample and group), reshape back. The baseline's γ and β are
 * per position and channel within a group (`[positions, C/G]`, what its layer norm can express)
 * instead of per channel: the same arithmetic, a different parameterization (tfjs-layers 4.22 has
 * no per-channel affine layer, and its layer norm without γ and β fails in the backward pass on
 * wasm).
 */
export function layersGroupNormFitCase(
  batch: number,
  features: number,
  positions: number,
  channels: number,
  groups: number,
  budget: MeasureOptions,
): BenchCase {
  const dense = (model: tfl.Sequential) =>
    model.add(tfl.layers.dense({ units: positions * channels }));
  const reshape = (model: tfl.Sequential, targetShape: number[]) =>
    model.add(tfl.layers.reshape({ targetShape }));
  return fitStepCase(
    `layers-norm fit step: groupNormalization (G ${groups}) vs reshape + tfjs LayerNormalization, batch ${batch}, dense ${features}→${positions} × ${channels}`,
    features,
    batch,
    positions * channels,
    (model) => {
      dense(model);
      reshape(model, [positions, channels]);
      model.add(groupNormalization({ groups }));
      model.add(tfl.layers.flatten());
    },
    (model) => {
      dense(model);
      reshape(model, [positions, groups, channels / groups]);
      model.add(tfl.layers.layerNormalization({ axis: [1, 3] }));
      model.add(tfl.layers.flatten());
    },
    budget,
  );
}

const QUICK: MeasureOptions = { warmup: 2, steps: 3, samples: 3 };
const FULL: MeasureOptions = { warmup: 3, steps: 5, samples: 9 };

/**
 * The rows of `--cases=layers-norm`: `'quick'` (CI's `--quick`, every backend), `'small'` (full
 * runs on SwiftShader's webgpu and cpu) or `'full'` (full runs on wasm).
 */
export function layersNormFitCases(size: 'quick' | 'small' | 'full'): BenchCase[] {
  if (size === 'full') {
    return [
      layersLayerNormFitCase(64, 128, 256, FULL),
      layersGroupNormFitCase(32, 16, 64, 64, 8, FULL),
    ];
  }
  const budget = size === 'quick' ? QUICK : FULL;
  return [
    layersLayerNormFitCase(16, 32, 64, budget),
    layersGroupNormFitCase(4, 8, 16, 16, 4, budget),
  ];
}
