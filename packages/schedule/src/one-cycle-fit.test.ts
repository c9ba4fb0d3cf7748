/**
 * oneCycle + oneCycleMomentum driving a descent SGD inside tfjs-layers' model.fit (cpu): the
 * optimizer asks the schedules for steps 0, 1, 2, … once per batch, the weights follow a float64
 * SGD-with-momentum reference (torch semantics) step by step, and the schedules — nested and
 * stateful ones too — survive model.save({ includeOptimizer: true }) + tfl.loadLayersModel
 * (rebuilt from their configs).
 */
import { type Schedule, useBackend } from '@descent/core';
import { type SGD, sgd } from '@descent/optim';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { cyclic } from './cyclic';
import { join } from './join';
import { linearSchedule } from './linear-schedule';
import { oneCycle } from './one-cycle';
import { oneCycleMomentum } from './one-cycle-momentum';
import { piecewiseConstant } from './piecewise-constant';
import { type PlateauSchedule, reduceOnPlateau } from './reduce-on-plateau';

const N = 12;
const BATCH = 4;
const BATCHES_PER_EPOCH = N / BATCH;
const EPOCHS = 4;
const TOTAL = EPOCHS * BATCHES_PER_EPOCH;
const PHASES = { totalSteps: TOTAL, pctStart: 0.25 };
const LR = { maxValue: 0.05, divFactor: 10, finalDivFactor: 100, ...PHASES };
const MOMENTUM = { baseMomentum: 0.8, maxMomentum: 0.95, ...PHASES };
const FIT = { batchSize: BATCH, shuffle: false, verbose: 0 } as const;

/** Inputs and targets as the float32 values tfjs holds. */
const X = Array.from({ length: N }, (_, i) => [
  Math.fround(Math.sin(0.7 * i + 0.1)),
  Math.fround(Math.cos(1.3 * i)),
]);
const Y = X.map(([a, b], i) =>
  Math.fround(2 * (a as number) - (b as number) + 0.5 + 0.1 * Math.sin(3 * i)),
);
const W0 = [Math.fround(0.3), Math.fround(-0.2)];
const B0 = Math.fround(0.05);

/** A schedule that logs every (step, value) it is asked for, with the same config. */
function recording(schedule: Schedule, log: Array<[number, number]>): Schedule {
  return Object.assign(
    (step: number) => {
      const value = schedule(step);
      log.push([step, value]);
      return value;
    },
    { config: schedule.config },
  );
}

function buildModel(): tfl.Sequential {
  const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 1, inputShape: [2] })] });
  model.setWeights([tf.tensor2d(W0, [2, 1]), tf.tensor1d([B0])]);
  return model;
}

async function weights(model: tfl.LayersModel): Promise<number[]> {
  const all = await Promise.all(model.getWeights().map((w) => w.data()));
  return all.flatMap((d) => Array.from(d));
}

/**
 * float64 SGD with momentum, torch.optim.SGD semantics, on the MSE of a linear model over the same
 * batches: g = ∇ mean((w·x + b − y)²); buf = g at the first step, then buf = μ_t·buf + g;
 * θ ← θ − η_t·buf. Returns [w₀, w₁, b] after each step.
 */
function reference(lr: Schedule, momentum: Schedule, steps: number): number[][] {
  let theta = [...W0, B0];
  let buf: number[] | undefined;
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const start = (t % BATCHES_PER_EPOCH) * BATCH;
    const g = [0, 0, 0];
    for (let i = start; i < start + BATCH; i++) {
      const [x0, x1] = X[i] as [number, number];
      const r =
        (theta[0] as number) * x0 +
        (theta[1] as number) * x1 +
        (theta[2] as number) -
        (Y[i] as number);
      g[0] = (g[0] as number) + (2 / BATCH) * r * x0;
      g[1] = (g[1] as number) + (2 / BATCH) * r * x1;
      g[2] = (g[2] as number) + (2 / BATCH) * r;
    }
    const mu = momentum(t);
    buf = buf === undefined ? g : buf.map((b, j) => mu * b + (g[j] as number));
    const eta = lr(t);
    theta = theta.map((p, j) => p - eta * (buf as number[])[j]!);
    out.push(theta);
  }
  return out;
}

/** Saves like a file would: the JSON parts through JSON. */
async function saveToMemory(model: tfl.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      saved = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer: true },
  );
  const artifacts = saved as tf.io.ModelArtifacts;
  return {
    ...artifacts,
    modelTopology: JSON.parse(JSON.stringify(artifacts.modelTopology)),
    trainingConfig: JSON.parse(JSON.stringify(artifacts.trainingConfig)),
    weightSpecs: JSON.parse(JSON.stringify(artifacts.weightSpecs)),
  };
}

describe('oneCycle + oneCycleMomentum in model.fit [cpu]', () => {
  let xs: tf.Tensor2D;
  let ys: tf.Tensor2D;
  beforeAll(async () => {
    await useBackend('cpu'); // also registers the gradients tfjs-layers needs
    xs = tf.tensor2d(X.flat(), [N, 2]);
    ys = tf.tensor2d(Y, [N, 1]);
  });

  it('asks for steps 0, 1, 2, … once per batch and follows a float64 torch-semantics reference', async () => {
    const lr = oneCycle(LR);
    const momentum = oneCycleMomentum(MOMENTUM);
    const lrLog: Array<[number, number]> = [];
    const muLog: Array<[number, number]> = [];
    const optimizer = sgd({
      learningRate: recording(lr, lrLog),
      momentum: recording(momentum, muLog),
    });
    lrLog.length = 0; // construction validates the schedules at step 0
    muLog.length = 0;
    const model = buildModel();
    model.compile({ optimizer, loss: 'meanSquaredError' });
    const afterBatch: number[][] = [];
    await model.fit(xs, ys, {
      ...FIT,
      epochs: EPOCHS,
      callbacks: { onBatchEnd: async () => void afterBatch.push(await weights(model)) },
    });

    const steps = Array.from({ length: TOTAL }, (_, t) => t);
    expect(lrLog.map(([t]) => t)).toEqual(steps);
    expect(lrLog.map(([, v]) => v)).toEqual(steps.map((t) => lr(t)));
    // momentum is read once per variable (kernel, bias) at each step, in step order
    const muSteps = muLog.map(([t]) => t).filter((t, i, all) => i === 0 || all[i - 1] !== t);
    expect(muSteps).toEqual(steps);
    expect(muLog).toHaveLength(2 * TOTAL);
    for (const [t, v] of muLog) expect(v).toBe(momentum(t));
    // the schedule really cycles over these steps
    expect(lr(2)).toBe(0.05); // peak at step pT − 1 = 2
    expect(momentum(2)).toBe(0.8);

    const expected = reference(lr, momentum, TOTAL);
    expect(afterBatch).toHaveLength(TOTAL);
    afterBatch.forEach((w, t) => {
      (expected[t] as number[]).forEach((e, j) => {
        expect(Math.abs((w[j] as number) - e), `step ${t}, weight ${j}`).toBeLessThan(2e-6);
      });
    });
    model.dispose();
    optimizer.dispose();
  });

  it('survives model.save({ includeOptimizer: true }) + tfl.loadLayersModel and resumes exactly', async () => {
    const lr = oneCycle(LR);
    const momentum = oneCycleMomentum(MOMENTUM);
    const original = buildModel();
    const optimizer = sgd({ learningRate: lr, momentum });
    original.compile({ optimizer, loss: 'meanSquaredError' });
    await original.fit(xs, ys, { ...FIT, epochs: 1 });
    const artifacts = await saveToMemory(original);
    expect(artifacts.trainingConfig?.optimizer_config).toMatchObject({ class_name: 'descent.SGD' });

    await original.fit(xs, ys, { ...FIT, epochs: EPOCHS - 1 });
    const expected = await weights(original);

    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
    const restored = loaded.optimizer as SGD;
    expect(restored.getClassName()).toBe('descent.SGD');
    const restoredLr = restored.options.learningRate as Schedule;
    const restoredMomentum = restored.options.momentum as Schedule;
    expect(restoredLr).not.toBe(lr);
    expect(restoredLr.config).toEqual(lr.config);
    expect(restoredMomentum.config).toEqual(momentum.config);
    for (let t = 0; t <= TOTAL + 2; t++) {
      expect(restoredLr(t)).toBe(lr(t));
      expect(restoredMomentum(t)).toBe(momentum(t));
    }
    await loaded.fit(xs, ys, { ...FIT, epochs: EPOCHS - 1 });
    expect(await weights(loaded)).toEqual(expected);

    for (const m of [original, loaded]) m.dispose();
    for (const o of [optimizer, restored]) o.dispose();
  });

  it('nested and stateful schedules (join, cyclic expRange, reduceOnPlateau) survive save + load too', async () => {
    const plateau = reduceOnPlateau({ factor: 0.5, patience: 0, thresholdMode: 'abs' });
    const learningRate = plateau.schedule(
      join(
        [
          linearSchedule({ initValue: 0, endValue: 0.05, transitionSteps: 3 }),
          cyclic({ baseValue: 0.01, maxValue: 0.05, stepSizeUp: 2, mode: 'expRange', gamma: 0.9 }),
        ],
        [3],
      ),
    );
    const momentum = piecewiseConstant({ initValue: 0.9, boundariesAndScales: { 6: 0.5 } });
    const model = buildModel();
    const optimizer = sgd({ learningRate, momentum });
    model.compile({ optimizer, loss: 'meanSquaredError' });
    await model.fit(xs, ys, { ...FIT, epochs: 1 });
    plateau.update(1);
    plateau.update(2); // worse: the multiplier halves
    const artifacts = await saveToMemory(model);
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts));
    const restored = loaded.optimizer as SGD;
    const lr = restored.options.learningRate as PlateauSchedule;
    expect(lr.config).toEqual(learningRate.config);
    expect(lr.plateau.value).toBe(0.5);
    expect((restored.options.momentum as Schedule).config).toEqual(momentum.config);
    for (let t = 0; t < 20; t++) expect(lr(t)).toBe(learningRate(t));
    await loaded.fit(xs, ys, { ...FIT, epochs: 2 });
    await model.fit(xs, ys, { ...FIT, epochs: 2 });
    expect(await weights(loaded)).toEqual(await weights(model));
    for (const m of [model, loaded]) m.dispose();
    for (const o of [optimizer, restored]) o.dispose();
  });
});
