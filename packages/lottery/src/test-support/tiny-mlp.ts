/**
 * Test support (not exported): a tiny dense ReLU net as a core `Model`, and its float64
 * reference — forward, gradient and Hessian-vector product (Pearlmutter's R-operator) of the mean
 * softmax cross-entropy — written from the equations.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Model, ParamInfo } from '@descent/core';

type M = number[][];

/** Deterministic values in [-scale, scale) + shift. */
export function sample(n: number, seed: number, scale = 1, shift = 0): number[] {
  let s = seed >>> 0 || 1;
  return Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return shift + scale * (2 * (s / 2 ** 32) - 1);
  });
}

function dense(layer: string, fanIn: number, fanOut: number): ParamInfo {
  return { role: 'weight', layer, layout: 'dense', fanIn, fanOut };
}
function vec(layer: string, n: number): ParamInfo {
  return { role: 'bias', layer, layout: 'vector', fanIn: n, fanOut: n };
}

/** A dense net `sizes[0] → … → sizes[L]`, ReLU between layers, with or without biases. */
export function tinyNet(sizes: number[], values: Record<string, number[]>, bias: boolean): Model {
  const params: Record<string, tf.Tensor> = {};
  const info: Record<string, ParamInfo> = {};
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [i, o] = [sizes[l] as number, sizes[l + 1] as number];
    params[`l${l}/kernel`] = tf.tensor2d(values[`l${l}/kernel`] as number[], [i, o]);
    info[`l${l}/kernel`] = dense(`l${l}`, i, o);
    if (bias) {
      params[`l${l}/bias`] = tf.tensor1d(values[`l${l}/bias`] as number[]);
      info[`l${l}/bias`] = vec(`l${l}`, o);
    }
  }
  const layers = sizes.length - 1;
  return {
    params,
    info,
    apply: (p, x) => {
      let h = x;
      for (let l = 0; l < layers; l++) {
        let z = tf.matMul(h, p[`l${l}/kernel`] as tf.Tensor);
        if (bias) z = tf.add(z, p[`l${l}/bias`] as tf.Tensor);
        h = l + 1 < layers ? tf.relu(z) : z;
      }
      return h;
    },
  };
}

export function toMatrix(v: readonly number[], rows: number, cols: number): M {
  return Array.from({ length: rows }, (_, r) => v.slice(r * cols, (r + 1) * cols) as number[]);
}
export function matMul(a: M, b: M): M {
  const k = b.length;
  const cols = (b[0] as number[]).length;
  return a.map((row) =>
    Array.from({ length: cols }, (_, j) => {
      let s = 0;
      for (let t = 0; t < k; t++) s += (row[t] as number) * ((b[t] as number[])[j] as number);
      return s;
    }),
  );
}
export function transpose(a: M): M {
  return (a[0] as number[]).map((_, j) => a.map((row) => row[j] as number));
}
const add = (a: M, b: M): M =>
  a.map((r, i) => r.map((v, j) => v + ((b[i] as number[])[j] as number)));
const addRow = (a: M, b: readonly number[]): M =>
  a.map((r) => r.map((v, j) => v + (b[j] as number)));
const hadamard = (a: M, b: M): M =>
  a.map((r, i) => r.map((v, j) => v * ((b[i] as number[])[j] as number)));
const colSum = (a: M): number[] =>
  (a[0] as number[]).map((_, j) => a.reduce((s, r) => s + (r[j] as number), 0));
const flat = (a: M): number[] => a.flat();

/** Two-layer net `x W1 + b1 → relu → W2 + b2`: the mean cross-entropy's gradient `g` and `H g`. */
export function refGradAndHvp(
  x: M,
  labels: readonly number[],
  w1: M,
  b1: number[],
  w2: M,
  b2: number[],
): { g: number[][]; hg: number[][] } {
  const n = x.length;
  const z1 = addRow(matMul(x, w1), b1);
  const on = z1.map((r) => r.map((v) => (v > 0 ? 1 : 0)));
  const a = z1.map((r) => r.map((v) => Math.max(v, 0)));
  const z2 = addRow(matMul(a, w2), b2);
  const p = z2.map((r) => {
    const m = Math.max(...r);
    const e = r.map((v) => Math.exp(v - m));
    const s = e.reduce((u, v) => u + v, 0);
    return e.map((v) => v / s);
  });
  const dz2 = p.map((r, i) => r.map((v, c) => (v - (c === labels[i] ? 1 : 0)) / n));
  const gW2 = matMul(transpose(a), dz2);
  const gb2 = colSum(dz2);
  const dz1 = hadamard(matMul(dz2, transpose(w2)), on);
  const gW1 = matMul(transpose(x), dz1);
  const gb1 = colSum(dz1);
  // R-operator along v = g.
  const [vW1, vb1, vW2, vb2] = [gW1, gb1, gW2, gb2];
  const rz1 = addRow(matMul(x, vW1), vb1);
  const ra = hadamard(rz1, on);
  const rz2 = addRow(add(matMul(ra, w2), matMul(a, vW2)), vb2);
  const rdz2 = p.map((pr, i) => {
    const rr = rz2[i] as number[];
    const dot = pr.reduce((s, v, c) => s + v * (rr[c] as number), 0);
    return pr.map((v, c) => (v * ((rr[c] as number) - dot)) / n);
  });
  const rgW2 = add(matMul(transpose(ra), dz2), matMul(transpose(a), rdz2));
  const rgb2 = colSum(rdz2);
  const rda = add(matMul(rdz2, transpose(w2)), matMul(dz2, transpose(vW2)));
  const rdz1 = hadamard(rda, on);
  const rgW1 = matMul(transpose(x), rdz1);
  const rgb1 = colSum(rdz1);
  return {
    g: [flat(gW1), gb1, flat(gW2), gb2],
    hg: [flat(rgW1), rgb1, flat(rgW2), rgb2],
  };
}
