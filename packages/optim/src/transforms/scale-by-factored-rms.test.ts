import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { runUpdate } from '../transform/run-update';
import type { TransformState } from '../transform/transform-state';
import { disposeState } from '../transform/transform-state';
import { factoredDims, scaleByFactoredRms } from './scale-by-factored-rms';

/** Row-major strides of a shape. */
const strides = (shape: number[]) =>
  shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
const indexOf = (coords: number[], shape: number[]) =>
  coords.reduce((s, c, i) => s + c * (strides(shape)[i] as number), 0);
const coordsOf = (flat: number, shape: number[]) =>
  strides(shape).map((st, i) => Math.floor(flat / st) % (shape[i] as number));
const without = (arr: number[], axis: number) => arr.filter((_, i) => i !== axis);

/**
 * optax's scale_by_factored_rms for one tensor, in float64: `R` averages g² + ε over axis `d0`,
 * `C` over axis `d1`, `u = g · (R / mean_{d1} R)^(−½) · C^(−½)`.
 */
function factoredReference(shape: number[], d1: number, d0: number, c: number, eps: number) {
  const size = shape.reduce((a, b) => a * b, 1);
  const rowShape = without(shape, d0);
  const colShape = without(shape, d1);
  const vRow = new Float64Array(rowShape.reduce((a, b) => a * b, 1));
  const vCol = new Float64Array(colShape.reduce((a, b) => a * b, 1));
  return (g: Float64Array, step: number): Float64Array => {
    const beta = 1 - (step + 1) ** -c;
    const sumRow = new Float64Array(vRow.length);
    const sumCol = new Float64Array(vCol.length);
    for (let f = 0; f < size; f++) {
      const x = coordsOf(f, shape);
      const gg = (g[f] as number) ** 2 + eps;
      const r = indexOf(without(x, d0), rowShape);
      const c = indexOf(without(x, d1), colShape);
      sumRow[r] = (sumRow[r] as number) + gg;
      sumCol[c] = (sumCol[c] as number) + gg;
    }
    vRow.forEach((v, i) => {
      vRow[i] = beta * v + ((1 - beta) * (sumRow[i] as number)) / (shape[d0] as number);
    });
    vCol.forEach((v, i) => {
      vCol[i] = beta * v + ((1 - beta) * (sumCol[i] as number)) / (shape[d1] as number);
    });
    // mean of R over its copy of axis d1
    const rd1 = d1 > d0 ? d1 - 1 : d1;
    const rowMean = new Float64Array(vRow.length);
    for (let i = 0; i < vRow.length; i++) {
      const x = coordsOf(i, rowShape);
      let s = 0;
      for (let k = 0; k < (rowShape[rd1] as number); k++) {
        const y = [...x];
        y[rd1] = k;
        s += vRow[indexOf(y, rowShape)] as number;
      }
      rowMean[i] = s / (rowShape[rd1] as number);
    }
    return Float64Array.from({ length: size }, (_, f) => {
      const x = coordsOf(f, shape);
      const r = indexOf(without(x, d0), rowShape);
      const col = vCol[indexOf(without(x, d1), colShape)] as number;
      return (
        (g[f] as number) * ((vRow[r] as number) / (rowMean[r] as number)) ** -0.5 * col ** -0.5
      );
    });
  };
}

function slotShape(state: TransformState, param: string, slot: string): number[] {
  const slots = state.slots[param] as Readonly<Record<string, unknown>>;
  return (slots[slot] as tf.Tensor).shape;
}

const gradient = (size: number, step: number) =>
  Float64Array.from({ length: size }, (_, i) =>
    Math.fround(Math.cos(0.9 * i + 1.3 * step) * (1 + ((i + step) % 4))),
  );

it('factoredDims picks the two largest axes, ties toward the lower axis', () => {
  expect(factoredDims([3, 5], true, 3)).toEqual({ d1: 0, d0: 1 });
  expect(factoredDims([4, 2, 3], true, 3)).toEqual({ d1: 2, d0: 0 });
  expect(factoredDims([6, 6], true, 6)).toEqual({ d1: 0, d0: 1 });
  expect(factoredDims([2, 200], true, 128)).toBeNull();
  expect(factoredDims([200, 200], false, 128)).toBeNull();
  expect(factoredDims([200], true, 1)).toBeNull();
});

forEachBackend('scaleByFactoredRms', () => {
  it('matches optax in float64 over 6 steps: factored rank-3 [4, 2, 3], factored [3, 5], unfactored [5] and [] (decayRate 0.6, ε 1e-10; rtol 1e-5)', async () => {
    const shapes = [[4, 2, 3], [3, 5], [5], []];
    const t = scaleByFactoredRms({ minDimSizeToFactor: 3, decayRate: 0.6, epsilon: 1e-10 });
    const refs = [
      factoredReference([4, 2, 3], 2, 0, 0.6, 1e-10),
      factoredReference([3, 5], 0, 1, 0.6, 1e-10),
    ];
    const v = shapes.slice(2).map((s) => new Float64Array(s.reduce((a, b) => a * b, 1)));
    let state: TransformState = t.init({});
    await expectNoLeaks(async () => {
      for (let step = 0; step < 6; step++) {
        const gs = shapes.map((s) =>
          gradient(
            s.reduce((a, b) => a * b, 1),
            step,
          ),
        );
        const grads = Object.fromEntries(
          shapes.map((s, k) => [`p${k}`, tf.tensor(Float32Array.from(gs[k] as Float64Array), s)]),
        );
        const result = runUpdate(t, grads, state, grads);
        state = result.state;
        for (let k = 0; k < shapes.length; k++) {
          const g = gs[k] as Float64Array;
          let expected: Float64Array;
          if (k < 2) {
            expected = (refs[k] as (g: Float64Array, s: number) => Float64Array)(g, step);
          } else {
            const beta = 1 - (step + 1) ** -0.6;
            const vk = v[k - 2] as Float64Array;
            expected = g.map((x, i) => {
              vk[i] = beta * (vk[i] as number) + (1 - beta) * (x * x + 1e-10);
              return x / Math.sqrt(vk[i] as number);
            });
          }
          await expectClose(result.updates[`p${k}`] as tf.Tensor, expected, {
            rtol: 1e-5,
            atol: 1e-6,
          });
        }
        tf.dispose([...Object.values(grads), ...Object.values(result.updates)]);
      }
      // Factored tensors keep a row and a column vector; the others a full second moment.
      expect(slotShape(state, 'p0', 'vRow')).toEqual([2, 3]);
      expect(slotShape(state, 'p0', 'vCol')).toEqual([4, 2]);
      expect(slotShape(state, 'p1', 'vRow')).toEqual([3]);
      expect(slotShape(state, 'p1', 'vCol')).toEqual([5]);
      expect(slotShape(state, 'p2', 'v')).toEqual([5]);
      disposeState(state);
    });
  });
});

it('scaleByFactoredRms rejects bad options', () => {
  expect(() => scaleByFactoredRms({ decayRate: -0.8 })).toThrow(/\[BAD_HYPERPARAM\] decayRate/);
  expect(() => scaleByFactoredRms({ decayOffset: 1.5 })).toThrow(/\[BAD_HYPERPARAM\] decayOffset/);
  expect(() => scaleByFactoredRms({ minDimSizeToFactor: 0 })).toThrow(
    /\[BAD_HYPERPARAM\] minDimSizeToFactor/,
  );
  expect(() => scaleByFactoredRms({ epsilon: Number.NaN })).toThrow(/\[NON_FINITE\] epsilon/);
});
