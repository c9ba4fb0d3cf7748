import * as tf from '@tensorflow/tfjs-core';
import { type Model, Rng, disposeParams, softmaxCrossEntropy, toVariables } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { batches } from '../batches';
import type { Dataset } from '../dataset';
import { disposeModel, testMlp } from '../test-support/mlp';
import { type FitBatchReport, type FitEpochReport, fit as fitModel } from './fit';

/** A deterministic classification dataset: n examples of d features, 3 classes. */
function classes(n: number, d: number, seed: number): Dataset {
  const x = Float32Array.from(new Rng(seed).normalArray(n * d));
  const y = Int32Array.from({ length: n }, (_, i) => (i * 7 + seed) % 3);
  return { x, xShape: [d], y, yShape: [], n, numClasses: 3 };
}

/** `y = x·w + b + noise` with fixed w, b and a deterministic "noise". */
function regression(n: number): Dataset {
  const w = [0.5, -1.25, 2];
  const x = Float32Array.from(new Rng(9).normalArray(n * 3));
  const y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0.75 + 0.3 * Math.cos(5.1 * i);
    for (let j = 0; j < 3; j++) s += (x[i * 3 + j] as number) * (w[j] as number);
    y[i] = s;
  }
  return { x, xShape: [3], y, yShape: [1], n };
}

/** Least squares with an intercept in float64: solves [X 1]ᵀ[X 1]·β = [X 1]ᵀy (β = [w; b]). */
function leastSquares(ds: Dataset): number[] {
  const d = ds.xShape[0] as number;
  const m = d + 1;
  const a = Array.from({ length: m }, () => new Array<number>(m + 1).fill(0));
  for (let i = 0; i < ds.n; i++) {
    const row = [...Array.from(ds.x.subarray(i * d, (i + 1) * d)), 1];
    for (let p = 0; p < m; p++) {
      for (let q = 0; q < m; q++) (a[p] as number[])[q]! += (row[p] as number) * (row[q] as number);
      (a[p] as number[])[m]! += (row[p] as number) * (ds.y[i] as number);
    }
  }
  for (let c = 0; c < m; c++) {
    const pivot = a[c] as number[];
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const row = a[r] as number[];
      const f = (row[c] as number) / (pivot[c] as number);
      for (let k = c; k <= m; k++) row[k]! -= f * (pivot[k] as number);
    }
  }
  return a.map((row, c) => (row[m] as number) / (row[c] as number));
}

async function values(params: Record<string, tf.Tensor>): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const key of Object.keys(params).sort()) {
    out[key] = Array.from(await (params[key] as tf.Tensor).data());
  }
  return out;
}

/** The hand-written loop fit must equal: same batches, same minimize calls; per-batch losses read. */
async function handLoop(
  model: Model,
  ds: Dataset,
  options: { epochs: number; batchSize: number; seed: number; lr: number },
): Promise<{ params: Record<string, number[]>; losses: number[][] }> {
  const vars = toVariables(model.params, { prefix: `hand/${Math.random()}/` });
  const optimizer = tf.train.sgd(options.lr);
  const loader = batches(ds, { batchSize: options.batchSize, shuffle: true, seed: options.seed });
  const losses: number[][] = [];
  for (let e = 0; e < options.epochs; e++) {
    const epoch: number[] = [];
    for (const { x, y } of loader) {
      const cost = optimizer.minimize(
        () => softmaxCrossEntropy(model.apply(vars, x, { training: true }), y) as tf.Scalar,
        true,
        Object.values(vars),
      ) as tf.Scalar;
      epoch.push((await cost.data())[0] as number);
      cost.dispose();
    }
    losses.push(epoch);
  }
  optimizer.dispose();
  const params = await values(vars);
  disposeParams(vars);
  return { params, losses };
}

describe('fit', () => {
  forEachBackend('fit', () => {
    it('full-batch SGD on MSE reaches the float64 least-squares solution to 1e-3', async () => {
      const ds = regression(48);
      const model = testMlp({ sizes: [3, 1], seed: 3 });
      const optimizer = tf.train.sgd(0.2);
      await expectNoLeaks(async () => {
        const history = await fitModel(model, optimizer, ds, {
          epochs: 80,
          batchSize: ds.n,
          progress: false,
        });
        const trained = await values(history.params as Record<string, tf.Tensor>);
        disposeParams(history.params ?? {});
        const beta = leastSquares(ds);
        expectClose(trained['dense1/kernel'] as number[], beta.slice(0, 3), { atol: 1e-3 });
        expectClose(trained['dense1/bias'] as number[], beta.slice(3), { atol: 1e-3 });
        // Closed-form loss of the last epoch is not asserted: it is taken before the last step.
        expect(history.epochs).toHaveLength(80);
      });
      optimizer.dispose();
      disposeModel(model);
    });

    it('equals the hand-written tf.train.sgd loop bit for bit, and its epoch loss is the mean of the batch losses', async () => {
      const ds = classes(20, 4, 1);
      const model = testMlp({ sizes: [4, 5, 3], seed: 2 });
      const hand = await handLoop(model, ds, { epochs: 2, batchSize: 6, seed: 7, lr: 0.3 });
      const optimizer = tf.train.sgd(0.3);
      const reports: FitEpochReport[] = [];
      const batchLosses: number[] = [];
      await expectNoLeaks(async () => {
        const history = await fitModel(model, optimizer, ds, {
          epochs: 2,
          batchSize: 6,
          seed: 7,
          progress: false,
          onEpoch: (r) => {
            reports.push(r);
          },
          onBatch: async (b: FitBatchReport) => {
            batchLosses.push((await b.loss.data())[0] as number);
          },
        });
        expect(await values(history.params as Record<string, tf.Tensor>)).toEqual(hand.params);
        disposeParams(history.params ?? {});
        expect(history.epochs.map((e) => e.loss)).toEqual(reports.map((r) => r.loss));
      });
      optimizer.dispose();
      disposeModel(model);
      expect(batchLosses).toEqual(hand.losses.flat());
      expect(reports.map((r) => r.epoch)).toEqual([1, 2]);
      for (const [e, report] of reports.entries()) {
        const losses = hand.losses[e] as number[];
        expect(losses).toHaveLength(4);
        const mean = losses.reduce((a, b) => a + b, 0) / losses.length;
        expectClose([report.loss], [mean], { rtol: 1e-6 });
        expect(report.seconds).toBeGreaterThan(0);
        expectClose([report.samplesPerSecond * report.seconds], [20], { rtol: 1e-9 });
        expect(report.validation).toBeUndefined();
      }
    });

    it('trains tf.Variable params in place and returns no params; the same seed gives the same run, another seed another', async () => {
      const ds = classes(12, 3, 2);
      const base = testMlp({ sizes: [3, 4, 3], seed: 5 });
      const run = async (seed: number) => {
        const optimizer = tf.train.sgd(0.5);
        const history = await fitModel(base, optimizer, ds, {
          epochs: 2,
          batchSize: 5,
          seed,
          progress: false,
        });
        optimizer.dispose();
        const trained = await values(history.params as Record<string, tf.Tensor>);
        disposeParams(history.params ?? {});
        return trained;
      };
      await expectNoLeaks(async () => {
        const first = await run(11);
        expect(await run(11)).toEqual(first);
        expect(await run(12)).not.toEqual(first);

        const vars = toVariables(base.params, { prefix: `inplace/${Math.random()}/` });
        const optimizer = tf.train.sgd(0.5);
        const history = await fitModel({ ...base, params: vars }, optimizer, ds, {
          epochs: 2,
          batchSize: 5,
          seed: 11,
          progress: false,
        });
        optimizer.dispose();
        expect(history.params).toBeUndefined();
        expect(await values(vars)).toEqual(first);
        disposeParams(vars);
      });
      disposeModel(base);
    });

    it('reports the validation loss and accuracy of the trained parameters', async () => {
      const ds = classes(16, 4, 3);
      const validation = classes(10, 4, 4);
      const model = testMlp({ sizes: [4, 6, 3], seed: 6 });
      const optimizer = tf.train.sgd(0.4);
      await expectNoLeaks(async () => {
        const history = await fitModel(model, optimizer, ds, {
          epochs: 2,
          batchSize: 8,
          progress: false,
          validation,
        });
        const params = history.params as Record<string, tf.Tensor>;
        const x = tf.tensor(validation.x, [10, 4]);
        const logits = model.apply(params, x);
        const probs = Array.from(await logits.data());
        tf.dispose([x, logits]);
        let loss = 0;
        let correct = 0;
        for (let i = 0; i < 10; i++) {
          const row = probs.slice(i * 3, i * 3 + 3);
          const max = Math.max(...row);
          const lse = max + Math.log(row.reduce((a, z) => a + Math.exp(z - max), 0));
          const label = validation.y[i] as number;
          loss += lse - (row[label] as number);
          if (row.indexOf(max) === label) correct++;
        }
        const reported = history.epochs[1]?.validation;
        expectClose([reported?.loss as number], [loss / 10], { rtol: 1e-5 });
        expect(reported?.accuracy).toBe(correct / 10);
        expect(history.epochs[0]?.validation?.loss).toBeGreaterThan(0);
        disposeParams(params);
      });
      optimizer.dispose();
      disposeModel(model);
    });

    it('validates float targets with MSE and no accuracy', async () => {
      const ds = regression(12);
      const model = testMlp({ sizes: [3, 1], seed: 1 });
      const optimizer = tf.train.sgd(0.1);
      await expectNoLeaks(async () => {
        const history = await fitModel(model, optimizer, ds, {
          batchSize: 4,
          progress: false,
          validation: ds,
        });
        const params = history.params as Record<string, tf.Tensor>;
        const x = tf.tensor(ds.x, [12, 3]);
        const output = model.apply(params, x);
        const pred = Array.from(await output.data());
        tf.dispose([x, output]);
        const mse = pred.reduce((a, p, i) => a + (p - (ds.y[i] as number)) ** 2, 0) / 12;
        const validation = history.epochs[0]?.validation;
        expectClose([validation?.loss as number], [mse], { rtol: 1e-5 });
        expect(validation?.accuracy).toBeUndefined();
        disposeParams(params);
      });
      optimizer.dispose();
      disposeModel(model);
    });
  });
});
