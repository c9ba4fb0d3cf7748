import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { Rng } from '@descent/core';
import { expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { lsuvInit } from './lsuv-init';
import { truncatedNormal } from './truncated-normal';

const BATCH = 48;

/** input [6, 6, 2] → conv2d 3×3 relu → flatten → dense relu → batchNorm → dense tanh → dense. */
function convNet(): tfl.LayersModel {
  const input = tfl.input({ shape: [6, 6, 2] });
  let h = tfl.layers
    .conv2d({ filters: 3, kernelSize: 3, activation: 'relu', biasInitializer: 'ones' })
    .apply(input) as tfl.SymbolicTensor;
  h = tfl.layers.flatten().apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.dense({ units: 10, activation: 'relu' }).apply(h) as tfl.SymbolicTensor;
  h = tfl.layers
    .batchNormalization({ movingMeanInitializer: 'ones', gammaInitializer: 'ones' })
    .apply(h) as tfl.SymbolicTensor;
  h = tfl.layers.dense({ units: 7, activation: 'tanh' }).apply(h) as tfl.SymbolicTensor;
  const output = tfl.layers.dense({ units: 3 }).apply(h) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: output });
}

/** input [12] → dense relu (no bias) → dense elu; kernels ~ N(0, 0.01²) truncated, seeded. */
function mlp(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({
        inputShape: [12],
        units: 16,
        activation: 'relu',
        useBias: false,
        kernelInitializer: truncatedNormal({ stddev: 0.01, seed: 1 }),
      }),
      tfl.layers.dense({
        units: 8,
        activation: 'elu',
        kernelInitializer: truncatedNormal({ stddev: 0.01, seed: 2 }),
      }),
    ],
  });
}

function batchOf(shape: number[], seed: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, BATCH);
  return tf.tensor(new Rng(seed).uniformArray(size, -2, 3), [BATCH, ...shape]);
}

type KernelLayer = tfl.layers.Layer & {
  kernel: tfl.LayerVariable;
  bias: tfl.LayerVariable | null;
};

function kernelLayers(model: tfl.LayersModel): KernelLayer[] {
  return model.layers.filter((l) => 'kernel' in l) as KernelLayer[];
}

async function read(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

/** `layer`'s input on `batch`, read back (through a sub-model's predict). */
async function inputOf(model: tfl.LayersModel, layer: KernelLayer, x: tf.Tensor) {
  const symbolic = layer.input as tfl.SymbolicTensor;
  if (symbolic.id === model.inputs[0]!.id) return { values: await read(x), shape: x.shape };
  const y = tfl.model({ inputs: model.inputs, outputs: symbolic }).predict(x) as tf.Tensor;
  const out = { values: await read(y), shape: y.shape };
  y.dispose();
  return out;
}

/** The pre-activation of a dense or valid 3×3 conv layer, computed in float64 from host copies. */
async function preActivation(model: tfl.LayersModel, layer: KernelLayer, x: tf.Tensor) {
  const input = await inputOf(model, layer, x);
  const w = await read(layer.kernel.read());
  const b = layer.bias ? await read(layer.bias.read()) : null;
  const out: number[] = [];
  if (layer.kernel.shape.length === 2) {
    const [nIn, nOut] = layer.kernel.shape as [number, number];
    for (let n = 0; n < BATCH; n++) {
      for (let o = 0; o < nOut; o++) {
        let z = b ? b[o]! : 0;
        for (let i = 0; i < nIn; i++) z += input.values[n * nIn + i]! * w[i * nOut + o]!;
        out.push(z);
      }
    }
    return out;
  }
  const [kh, kw, cin, cout] = layer.kernel.shape as number[] as [number, number, number, number];
  const [, h, wd] = input.shape as [number, number, number, number];
  for (let n = 0; n < BATCH; n++) {
    for (let i = 0; i + kh <= h; i++) {
      for (let j = 0; j + kw <= wd; j++) {
        for (let o = 0; o < cout; o++) {
          let z = b ? b[o]! : 0;
          for (let di = 0; di < kh; di++) {
            for (let dj = 0; dj < kw; dj++) {
              for (let c = 0; c < cin; c++) {
                const xi = ((n * h + i + di) * wd + j + dj) * cin + c;
                z += input.values[xi]! * w[((di * kw + dj) * cin + c) * cout + o]!;
              }
            }
          }
          out.push(z);
        }
      }
    }
  }
  return out;
}

function variance(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
}

forEachBackend('lsuvInit', () => {
  it('gives every kernel layer a unit-variance pre-activation on the batch (float64 check)', async () => {
    const model = convNet();
    const x = batchOf([6, 6, 2], 1);
    const { report } = await lsuvInit(model, x, { seed: 3 });
    const layers = kernelLayers(model);
    expect(report.map((r) => r.layer)).toEqual(layers.map((l) => l.name));
    for (const [i, layer] of layers.entries()) {
      const v = variance(await preActivation(model, layer, x));
      expect(Math.abs(v - 1), `${layer.name}: variance ${v}`).toBeLessThan(0.1);
      expect(report[i]!.converged).toBe(true);
      expect(report[i]!.variance).toBeCloseTo(v, 4);
      expect(report[i]!.iterations).toBeGreaterThanOrEqual(1);
      if (layer.bias) expect(new Set(await read(layer.bias.read()))).toEqual(new Set([0]));
    }
    x.dispose();
    model.dispose();
  });

  it('meets a tighter tolVar when asked, and leaves the other weights bit-identical', async () => {
    const model = convNet();
    const bn = model.layers.find((l) => l.getClassName() === 'BatchNormalization')!;
    const before = await Promise.all(bn.getWeights().map(read));
    const x = batchOf([6, 6, 2], 2);
    const { report } = await lsuvInit(model, x, { seed: 'tight', tolVar: 0.001, maxIters: 20 });
    for (const layer of kernelLayers(model)) {
      const v = variance(await preActivation(model, layer, x));
      expect(Math.abs(v - 1), `${layer.name}: variance ${v}`).toBeLessThan(0.001 + 1e-5);
    }
    expect(report.every((r) => r.converged)).toBe(true);
    expect(await Promise.all(bn.getWeights().map(read))).toEqual(before);
    x.dispose();
    model.dispose();
  });

  it('leaks no tensor and restores each layer’s activation', async () => {
    const model = mlp();
    const x = batchOf([12], 4);
    await lsuvInit(model, x, { seed: 0 });
    const activations = model.layers.map((l) => (l as { activation?: object }).activation);
    await expectNoLeaks(() => lsuvInit(model, x, { seed: 1 }));
    model.layers.forEach((l, i) => {
      expect((l as { activation?: object }).activation).toBe(activations[i]);
    });
    expect(activations.map((a) => (a as tf.serialization.Serializable).getClassName())).toEqual([
      'relu',
      'elu',
    ]);
    x.dispose();
    model.dispose();
  });

  it('is reproducible from the seed (orthogonal start drawn per layer position)', async () => {
    const x = batchOf([12], 5);
    const weights: number[][][] = [];
    for (let k = 0; k < 2; k++) {
      const model = mlp();
      await lsuvInit(model, x, { seed: 9 });
      weights.push(await Promise.all(model.getWeights().map(read)));
      model.dispose();
    }
    expect(weights[1]).toEqual(weights[0]);
    x.dispose();
  });

  it('without orthogonalStart only rescales the current kernels', async () => {
    const model = mlp();
    const x = batchOf([12], 6);
    const before = await Promise.all(kernelLayers(model).map((l) => read(l.kernel.read())));
    const { report } = await lsuvInit(model, x, { orthogonalStart: false, zeroBiases: false });
    for (const [i, layer] of kernelLayers(model).entries()) {
      const after = await read(layer.kernel.read());
      const ratio = after[0]! / before[i]![0]!;
      expect(ratio).toBeGreaterThan(10);
      for (const [j, a] of after.entries()) expect(a).toBeCloseTo(before[i]![j]! * ratio, 5);
      expect(report[i]!.converged).toBe(true);
    }
    x.dispose();
    model.dispose();
  });
});
