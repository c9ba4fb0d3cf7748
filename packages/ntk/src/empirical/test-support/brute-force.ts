/**
 * Test support (not exported): the empirical NTK by brute force — one `tf.grads` per example and
 * per output, read back and contracted in float64 in JavaScript.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@descent/core';

type Fn = (params: Params, x: tf.Tensor) => tf.Tensor;

/** `J[i][a]` = the flattened `∂f_a(xᵢ)/∂θ` over `keys` (in order), each example alone. */
export async function bruteJacobian(
  f: Fn,
  params: Params,
  keys: readonly string[],
  x: tf.Tensor,
): Promise<number[][][]> {
  const n = x.shape[0] as number;
  const out: number[][][] = [];
  for (let i = 0; i < n; i++) {
    const xi = tf.slice(x, [i, 0], [1, x.shape[1] as number]);
    const y = f(params, xi);
    const o = y.rank === 1 ? 1 : (y.shape[1] as number);
    y.dispose();
    const rows: number[][] = [];
    for (let a = 0; a < o; a++) {
      const g = tf.grads((...values: tf.Tensor[]) => {
        const p: Params = { ...params };
        keys.forEach((k, j) => {
          p[k] = values[j] as tf.Tensor;
        });
        const z = f(p, xi);
        return z.rank === 1 ? tf.sum(z) : tf.sum(tf.slice(z, [0, a], [1, 1]));
      })(keys.map((k) => params[k] as tf.Tensor));
      const row: number[] = [];
      for (const gk of g) row.push(...(await gk.data()));
      tf.dispose(g);
      rows.push(row);
    }
    xi.dispose();
    out.push(rows);
  }
  return out;
}

/** The kernel from two Jacobians, flattened row-major as `empiricalNtk` lays it out. */
export function bruteKernel(
  j1: number[][][],
  j2: number[][][],
  reduction: 'none' | 'sum' | 'mean',
): number[] {
  const o = (j1[0] as number[][]).length;
  const dot = (u: number[], v: number[]) => u.reduce((s, ui, k) => s + ui * (v[k] as number), 0);
  const out: number[] = [];
  for (const ri of j1) {
    for (const rj of j2) {
      if (reduction === 'none') {
        for (let a = 0; a < o; a++)
          for (let b = 0; b < o; b++) out.push(dot(ri[a] as number[], rj[b] as number[]));
      } else {
        let s = 0;
        for (let a = 0; a < o; a++) s += dot(ri[a] as number[], rj[a] as number[]);
        out.push(reduction === 'mean' ? s / o : s);
      }
    }
  }
  return out;
}

/** Tolerance relative to the largest entry (float32 sums against float64 ones). */
export function kernelTol(ref: number[], rtol = 1e-5): { rtol: number; atol: number } {
  const scale = ref.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  return { rtol, atol: rtol * scale };
}

/** Deterministic values in [-1, 1). */
export function sample(n: number, seed: number): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return 2 * (s / 2 ** 32) - 1;
  });
}
