import * as tf from '@tensorflow/tfjs-core';
import { forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import * as optim from '../index';

/**
 * The README's "Non-finite gradients" policy on the named optimizers' own paths (the fused
 * one-kernel steps and the compiled repeated steps on wasm and webgpu, the chain on cpu): one NaN
 * gradient element in the first step turns that element of its parameter NaN and nothing else,
 * in that variable or another.
 */

const SIZE = 6;
const BAD = 2;
const STEPS = 4;

const OPTIMIZERS: [string, () => tf.Optimizer][] = [
  ['sgd', () => optim.sgd({ learningRate: 0.1 })],
  ['sgd with momentum', () => optim.sgd({ learningRate: 0.1, momentum: 0.9, nesterov: true })],
  ['adagrad', () => optim.adagrad({ learningRate: 0.1 })],
  ['rmsprop', () => optim.rmsprop({ learningRate: 0.1, momentum: 0.5, centered: true })],
  ['adadelta', () => optim.adadelta({ learningRate: 0.1 })],
  ['adam', () => optim.adam({ learningRate: 0.1, amsgrad: true })],
  ['adamw', () => optim.adamw({ learningRate: 0.1, weightDecay: 0.01 })],
  ['adamw with globalClipNorm', () => optim.adamw({ learningRate: 0.1, globalClipNorm: 0.1 })],
  ['adamax', () => optim.adamax({ learningRate: 0.1 })],
  ['nadam', () => optim.nadam({ learningRate: 0.1 })],
  ['radam', () => optim.radam({ learningRate: 0.1 })],
  ['adabound', () => optim.adabound({ learningRate: 0.1 })],
  ['yogi', () => optim.yogi({ learningRate: 0.1 })],
  ['padam', () => optim.padam({ learningRate: 0.1 })],
  ['lion', () => optim.lion({ learningRate: 0.1, weightDecay: 0.01 })],
  ['lamb', () => optim.lamb({ learningRate: 0.1 })],
  ['lars', () => optim.lars({ learningRate: 0.1 })],
  ['adafactor', () => optim.adafactor({ learningRate: 0.1 })],
];

function nanIndices(values: ArrayLike<number>): number[] {
  return Array.from(values).flatMap((v, i) => (Number.isNaN(v) ? [i] : []));
}

forEachBackend('non-finite gradients in named optimizers', () => {
  for (const [name, make] of OPTIMIZERS) {
    it(`${name}: one NaN gradient element poisons that element of its parameter only`, async () => {
      const suffix = Math.random().toString(36).slice(2);
      const w = tf.variable(tf.linspace(1, 2, SIZE), true, `nan-w-${suffix}`);
      const b = tf.variable(tf.linspace(-1, -2, SIZE), true, `nan-b-${suffix}`);
      const opt = make();
      for (let step = 0; step < STEPS; step++) {
        const gw = tf.tidy(() => {
          const g = tf.linspace(0.5, 1.5, SIZE);
          const nan = tf.fill([SIZE], Number.NaN);
          return step === 0 ? tf.where(tf.equal(tf.range(0, SIZE, 1, 'int32'), BAD), nan, g) : g;
        });
        const gb = tf.fill([SIZE], 0.25);
        opt.applyGradients({ [w.name]: gw, [b.name]: gb });
        tf.dispose([gw, gb]);
      }
      expect(nanIndices(await w.data())).toEqual([BAD]);
      expect(nanIndices(await b.data())).toEqual([]);
      opt.dispose();
      tf.dispose([w, b]);
    });
  }
});
