import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { type LotteryRunInfo, lotteryTicket } from './lottery-ticket';

const RATE = 0.2;
const EPOCHS = 2;
const BATCH = 8;
const EXAMPLES = 24;
const STEPS = EPOCHS * (EXAMPLES / BATCH);
const REWIND = 2;

/** 24 examples of 4 features, labelled by the argmax of a fixed linear map (3 classes). */
function tinyProblem(): { x: tf.Tensor2D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = tf.randomNormal([EXAMPLES, 4], 0, 1, 'float32', 21) as tf.Tensor2D;
    const r = tf.tensor2d([
      [1, -1, 0.5],
      [0.3, 1, -1],
      [-1, 0.2, 1],
      [0.5, 0.5, -0.5],
    ]);
    const y = tf.cast(tf.oneHot(tf.argMax(tf.matMul(x, r), 1), 3), 'float32') as tf.Tensor2D;
    return { x, y };
  });
}

function tinyNet(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 8,
        inputShape: [4],
        activation: 'relu',
        kernelInitializer: tfl.initializers.glorotNormal({ seed: 1 }),
      }),
      tfl.layers.dense({
        units: 3,
        activation: 'softmax',
        kernelInitializer: tfl.initializers.glorotNormal({ seed: 2 }),
      }),
    ],
  });
}

/** A fresh Adam for every run, disposing the previous optimizer. */
function compileFresh(model: tfl.LayersModel): void {
  model.optimizer?.dispose();
  model.compile({
    optimizer: tf.train.adam(0.05),
    loss: 'categoricalCrossentropy',
    metrics: ['accuracy'],
  });
}

type Weights = Record<string, Float32Array>;

async function weightsOf(model: tfl.LayersModel): Promise<Weights> {
  const out: Weights = {};
  for (const w of model.weights) out[w.name] = (await w.read().data()) as Float32Array;
  return out;
}

async function evaluation(model: tfl.LayersModel, x: tf.Tensor, y: tf.Tensor) {
  const [loss, accuracy] = model.evaluate(x, y, { batchSize: EXAMPLES }) as tf.Scalar[];
  const result = {
    loss: (await (loss as tf.Scalar).data())[0] as number,
    accuracy: (await (accuracy as tf.Scalar).data())[0] as number,
  };
  tf.dispose([loss, accuracy] as tf.Tensor[]);
  return result;
}

/** Kept counts of `size` weights after each of `rounds` layerwise rounds of `round(rate·kept)`. */
function expectedKept(size: number, rounds: number): number[] {
  const kept = [size];
  for (let r = 1; r <= rounds; r++) {
    const previous = kept[r - 1] as number;
    kept.push(previous - Math.round(RATE * previous));
  }
  return kept;
}

forEachBackend('lotteryTicket', (backend) => {
  // about 35 s on webgpu (SwiftShader): the fit-arguments test below covers webgpu
  it.skipIf(backend === 'webgpu')(
    'prunes 0.8ʳ of the kernels, keeps pruned weights at 0 through fit, rewinds to θ_k ⊙ m',
    async () => {
      const { x, y } = tinyProblem();
      const model = tinyNet();
      const before = tf.memory().numTensors;
      const initial = await weightsOf(model);
      const starts: (LotteryRunInfo & { weights: Weights })[] = [];
      const evaluations: (LotteryRunInfo & { step: number; weights: Weights })[] = [];
      const rounds = 3;
      const result = await lotteryTicket({
        model,
        rounds,
        rate: RATE,
        rewindTo: REWIND,
        evaluateEvery: 1,
        compile: compileFresh,
        train: async (m, callbacks, run) => {
          starts.push({ ...run, weights: await weightsOf(m) });
          await m.fit(x, y, {
            epochs: EPOCHS,
            batchSize: BATCH,
            shuffle: false,
            verbose: 0,
            callbacks,
          });
        },
        evaluate: async (m, at) => {
          evaluations.push({ ...at, weights: await weightsOf(m) });
          return evaluation(m, x, y);
        },
      });
      model.optimizer.dispose();
      expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
      const tickets = result.tickets;

      const kernels = model.weights.filter((w) => w.name.endsWith('/kernel'));
      const sizes = kernels.map(
        (k) => k.shape.reduce((a, b) => (a as number) * (b as number), 1) as number,
      );
      const kept = sizes.map((s) => expectedKept(s, rounds));
      expect(result.rounds.map((r) => r.round)).toEqual([0, 1, 2, 3]);
      result.rounds.forEach((report, r) => {
        kernels.forEach((k, i) => {
          expect(report.density.perParameter[k.name]?.kept).toBe(kept[i]?.[r]);
        });
        expect(Math.abs(report.density.overall.density - 0.8 ** r)).toBeLessThan(0.03);
        expect(report.ticket.startStep).toBe(r === 0 ? 0 : REWIND);
        expect(report.ticket.endStep).toBe(report.ticket.startStep + STEPS);
      });

      const theta0 = starts[0]?.weights as Weights;
      expect(theta0).toEqual(initial);
      const thetaK = evaluations.find((e) => e.round === 0 && e.step === REWIND)
        ?.weights as Weights;
      for (let r = 0; r <= rounds; r++) {
        const masks = tickets[r]?.masks() ?? {};
        const maskValues: Weights = {};
        for (const [key, m] of Object.entries(masks))
          maskValues[key] = (await m.data()) as Float32Array;
        tf.dispose(Object.values(masks));
        // after the round's training: pruned weights exactly 0, the kept ones trained
        const last = evaluations.filter((e) => e.round === r).at(-1);
        expect(last?.step).toBe((r === 0 ? 0 : REWIND) + STEPS);
        for (const k of kernels) {
          const w = last?.weights[k.name] as Float32Array;
          const m = maskValues[k.name] as Float32Array;
          const pruned = Array.from(w).filter((_, j) => m[j] === 0);
          expect(pruned).toHaveLength(
            (sizes[kernels.indexOf(k)] as number) - (kept[kernels.indexOf(k)]?.[r] as number),
          );
          expect(pruned.every((v) => v === 0)).toBe(true);
          expect(
            Array.from(w).some((v, j) => m[j] === 1 && v !== (thetaK[k.name] as Float32Array)[j]),
          ).toBe(true);
        }
        if (r === 0) continue;
        // each pruned round starts from the rewound weights θ_k ⊙ m, bit for bit
        const start = starts.find((s) => s.round === r)?.weights as Weights;
        for (const [name, values] of Object.entries(start)) {
          const m = maskValues[name];
          const rewound = Array.from(thetaK[name] as Float32Array, (v, j) =>
            m ? v * (m[j] as number) : v,
          );
          expect(Array.from(values)).toEqual(rewound);
        }
      }
      // the rewind weights of every pruned ticket are θ_k; the model ends at θ₀
      const rewind = tickets[2]?.params() ?? {};
      for (const [name, t] of Object.entries(rewind)) {
        expect(Array.from(await t.data())).toEqual(Array.from(thetaK[name] as Float32Array));
      }
      tf.dispose(Object.values(rewind));
      expect(await weightsOf(model)).toEqual(initial);
      tf.dispose([x, y]);
      model.dispose();
    },
  );

  it('takes fit arguments for train and the compiled optimizer when no compile is given', async () => {
    const { x, y } = tinyProblem();
    const model = tinyNet();
    model.compile({
      optimizer: tf.train.sgd(0.1),
      loss: 'categoricalCrossentropy',
      metrics: ['accuracy'],
    });
    const before = tf.memory().numTensors;
    const result = await lotteryTicket({
      model,
      rounds: 1,
      train: { x, y, epochs: 1, batchSize: BATCH, shuffle: false },
      evaluate: (m) => evaluation(m, x, y),
    });
    expect(result.rounds.map((r) => [r.ticket.startStep, r.ticket.endStep])).toEqual([
      [0, 3],
      [0, 3],
    ]);
    expect(tf.memory().numTensors, 'tensors left behind').toBe(before);
    expect(result.rounds[1]?.density.overall.kept).toBe(32 - 6 + (24 - 5));
    expect(result.rounds[0]?.ticket.final.accuracy).toBeGreaterThanOrEqual(0);
    tf.dispose([x, y]);
    model.dispose();
  });
});
