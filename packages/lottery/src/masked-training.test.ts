/**
 * Training a pruned net with descent's optimizers: their `masks` option (keyed by variable name)
 * keeps the pruned weights exactly zero through momentum and decoupled weight decay, on the chain
 * (cpu) and on the fused, compiled one-kernel path (wasm, webgpu).
 */
import * as tf from '@tensorflow/tfjs-core';
import { disposeParams, softmaxCrossEntropy } from '@descent/core';
import { expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { mlp } from '@descent/nets';
import { adamw, sgd } from '@descent/optim';
import { expect, it } from 'vitest';
import { applyMasks } from './apply-masks';
import { magnitudeScores } from './magnitude-scores';
import { prune } from './prune';

const STEPS = 5;
let counter = 0;

/** Whether the optimizer's next step over the last variable list takes the compiled path. */
const compiled = (optimizer: tf.Optimizer) =>
  (optimizer as unknown as { repeated?: unknown }).repeated !== undefined;

async function trainMasked(
  backend: string,
  makeOptimizer: (masks: Record<string, tf.Tensor>) => tf.Optimizer,
  everyVariable: boolean,
): Promise<void> {
  const net = mlp({ sizes: [8, 16, 4], seed: 11 });
  const scores = magnitudeScores(net.params);
  const masks = await prune(scores, { info: net.info, rate: 0.5 });
  disposeParams(scores);
  const ticket = applyMasks(net.params, masks);
  counter += 1;
  const keys = Object.keys(net.params);
  const vars = keys.map((k) => tf.variable(ticket[k] as tf.Tensor, true, `masked${counter}/${k}`));
  disposeParams(ticket);
  // The optimizer's masks are keyed by variable name; with `everyVariable`, the unpruned ones
  // (biases) get masks of ones.
  const ones: tf.Tensor[] = [];
  const byName: Record<string, tf.Tensor> = {};
  keys.forEach((k, i) => {
    const v = vars[i] as tf.Variable;
    const m = masks[k];
    if (m !== undefined) byName[v.name] = m;
    else if (everyVariable) {
      const one = tf.onesLike(v);
      ones.push(one);
      byName[v.name] = one;
    }
  });
  const x = tf.tensor2d(
    Array.from({ length: 6 * 8 }, (_, i) => Math.cos(0.9 * i + 0.1)),
    [6, 8],
  );
  const y = tf.tensor1d([0, 1, 2, 3, 0, 2], 'int32');
  const maskValues = await Promise.all(keys.map(async (k) => masks[k]?.data()));
  const initial = await Promise.all(vars.map(async (v) => Float32Array.from(await v.data())));
  const optimizer = makeOptimizer(byName);
  const loss = () =>
    softmaxCrossEntropy(
      net.apply(Object.fromEntries(keys.map((k, i) => [k, vars[i] as tf.Tensor])), x, {
        training: true,
      }),
      y,
    ) as tf.Scalar;
  for (let step = 0; step < STEPS; step++) {
    const train = () => {
      const { value, grads } = tf.variableGrads(loss, vars);
      optimizer.applyGradients(grads);
      tf.dispose([value, ...Object.values(grads)]);
    };
    // The first step creates the optimizer's state (freed by dispose); later ones allocate nothing.
    if (step === 0) train();
    else await expectNoLeaks(train);
    for (const [i, key] of keys.entries()) {
      const mv = maskValues[i];
      if (mv === undefined) continue;
      const values = await (vars[i] as tf.Variable).data();
      for (let j = 0; j < values.length; j++) {
        if (mv[j] === 0) {
          expect(values[j] === 0, `step ${step}: ${key}[${j}] = ${values[j]}`).toBe(true);
        }
      }
    }
  }
  // Repeating the same variables, every one masked, engages the compiled one-kernel steps on
  // wasm and webgpu; with some variables unmasked, the optimizer takes its general path.
  expect(compiled(optimizer)).toBe(everyVariable && backend !== 'cpu');
  for (const [i, key] of keys.entries()) {
    const mv = maskValues[i];
    const before = initial[i] as Float32Array;
    const after = await (vars[i] as tf.Variable).data();
    let changed = 0;
    for (let j = 0; j < after.length; j++) {
      if ((mv === undefined || mv[j] === 1) && after[j] !== before[j]) changed++;
    }
    const keptCount =
      mv === undefined
        ? after.length
        : Array.from(mv as ArrayLike<number>).reduce((s, v) => s + v, 0);
    // Most kept entries move (a few may sit behind a dead ReLU unit, with zero gradient).
    expect(changed, `${key}: kept entries changed`).toBeGreaterThanOrEqual(keptCount / 2);
  }
  optimizer.dispose();
  disposeParams(masks);
  disposeParams(net.params);
  tf.dispose([...vars, ...ones, x, y]);
}

forEachBackend('training a pruned net with the optimizers’ masks', (backend) => {
  for (const everyVariable of [true, false]) {
    const how = everyVariable ? 'every variable masked (compiled fused path)' : 'weights masked';
    it(`adamw (decoupled weight decay) keeps pruned weights exactly zero every step, ${how}`, async () => {
      const before = tf.memory().numTensors;
      await trainMasked(
        backend,
        (masks) => adamw({ learningRate: 1e-2, weightDecay: 0.1, masks }),
        everyVariable,
      );
      expect(tf.memory().numTensors).toBe(before);
    });

    it(`sgd with momentum keeps pruned weights exactly zero every step, ${how}`, async () => {
      const before = tf.memory().numTensors;
      await trainMasked(
        backend,
        (masks) => sgd({ learningRate: 0.1, momentum: 0.9, masks }),
        everyVariable,
      );
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});
