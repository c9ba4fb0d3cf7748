import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { ParamInfo, Schedule } from '@descent/core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { runUpdate } from '../transform/run-update';
import { disposeState } from '../transform/transform-state';
import { addDecayedWeights, weightDecayMask } from './add-decayed-weights';

const info: Record<string, ParamInfo> = {
  'dense/kernel': { role: 'weight', layer: 'dense', layout: 'dense', fanIn: 1, fanOut: 2 },
  'dense/bias': { role: 'bias', layer: 'dense', layout: 'vector', fanIn: 2, fanOut: 2 },
  'norm/gamma': { role: 'scale', layer: 'norm', layout: 'vector', fanIn: 2, fanOut: 2 },
};

forEachBackend('addDecayedWeights', () => {
  it('adds λ·θ to the updates of masked-in parameters only (closed form)', async () => {
    await expectNoLeaks(async () => {
      const params = {
        'dense/kernel': tf.tensor([[1, -2]]),
        'dense/bias': tf.tensor([3, 4]),
        'norm/gamma': tf.tensor([5, 6]),
      };
      const grads = {
        'dense/kernel': tf.tensor([[0.5, 0.5]]),
        'dense/bias': tf.tensor([1, 1]),
        'norm/gamma': tf.tensor([2, 2]),
      };
      const t = addDecayedWeights(0.1, { mask: weightDecayMask(info) });
      const state = t.init(params);
      const { updates, state: next } = runUpdate(t, grads, state, params);
      await expectClose(updates['dense/kernel'] as tf.Tensor, [0.6, 0.3], { rtol: 1e-6 });
      await expectClose(updates['dense/bias'] as tf.Tensor, [1, 1], { rtol: 0, atol: 0 });
      await expectClose(updates['norm/gamma'] as tf.Tensor, [2, 2], { rtol: 0, atol: 0 });
      expect(next.scalars.count).toBe(1);
      // Pass-through updates are the input tensors; only the decayed one is new.
      tf.dispose([updates['dense/kernel'] as tf.Tensor]);
      disposeState(next);
      tf.dispose([...Object.values(params), ...Object.values(grads)]);
    });
  });
});

describe('addDecayedWeights (cpu)', () => {
  it('follows a schedule of its own update count', async () => {
    await tf.setBackend('cpu');
    const schedule = Object.assign((step: number) => 0.5 * (step + 1), {
      config: { type: 'test' },
    }) as unknown as Schedule;
    const t = addDecayedWeights(schedule);
    const p = { w: tf.tensor([2]) };
    const g = { w: tf.tensor([0]) };
    let state = t.init(p);
    const seen: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = runUpdate(t, g, state, p);
      seen.push((await (r.updates.w as tf.Tensor).data())[0] as number);
      (r.updates.w as tf.Tensor).dispose();
      state = r.state;
    }
    expect(seen).toEqual([1, 2, 3]);
    tf.dispose([p.w, g.w]);
  });

  it('weightDecayMask() without info decays tensors of rank > 1 only', () => {
    const mask = weightDecayMask();
    expect(typeof mask).toBe('function');
    const check = mask as (name: string, p: tf.Tensor) => boolean;
    const [m, v, s] = [tf.zeros([2, 2]), tf.zeros([2]), tf.scalar(0)];
    expect([check('a', m), check('b', v), check('c', s)]).toEqual([true, false, false]);
    tf.dispose([m, v, s]);
  });

  it('weightDecayMask(info) marks weights true and biases, scales and shifts false', () => {
    expect(weightDecayMask(info)).toEqual({
      'dense/kernel': true,
      'dense/bias': false,
      'norm/gamma': false,
    });
  });

  it('decays names a record mask does not list', async () => {
    await tf.setBackend('cpu');
    const t = addDecayedWeights(1, { mask: { other: false } });
    const p = { w: tf.tensor([2]) };
    const r = runUpdate(t, { w: tf.tensor([0]) }, t.init(p), p);
    await expectClose(r.updates.w as tf.Tensor, [2], { rtol: 0, atol: 0 });
    tf.dispose([p.w, r.updates.w as tf.Tensor]);
  });

  it('rejects bad weight decays and masks, and a missing params argument', async () => {
    await tf.setBackend('cpu');
    expect(() => addDecayedWeights(-1)).toThrow(/\[BAD_HYPERPARAM\] weightDecay/);
    expect(() => addDecayedWeights(Number.NaN)).toThrow(/\[NON_FINITE\] weightDecay/);
    expect(() => addDecayedWeights(0.1, { mask: 3 as unknown as Record<string, boolean> })).toThrow(
      /\[BAD_ARGUMENT\] mask must be a record/,
    );
    expect(() =>
      addDecayedWeights(0.1, { mask: { w: 'no' } as unknown as Record<string, boolean> }),
    ).toThrow(/\[BAD_ARGUMENT\] mask\["w"\] must be a boolean/);
    const t = addDecayedWeights(0.1);
    const g = { w: tf.tensor([1]) };
    expect(() => t.update(g, t.init({}))).toThrow(
      /\[BAD_ARGUMENT\] addDecayedWeights needs params/,
    );
    g.w.dispose();
  });
});
