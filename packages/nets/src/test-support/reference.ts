import { DEFAULT_LEAKY_RELU_SLOPE } from '@descent/init';
import type { Activation } from '../activation';

/** Float64 reference of an activation on one number. */
export function activateScalar(x: number, activation: Activation): number {
  switch (activation) {
    case 'relu':
      return Math.max(0, x);
    case 'leakyRelu':
      return x > 0 ? x : DEFAULT_LEAKY_RELU_SLOPE * x;
    case 'elu':
      return x > 0 ? x : Math.expm1(x);
    case 'tanh':
      return Math.tanh(x);
    case 'sigmoid':
      return 1 / (1 + Math.exp(-x));
    case 'softplus':
      return Math.log1p(Math.exp(-Math.abs(x))) + Math.max(x, 0);
    case 'erf':
      return erf(x);
    case 'linear':
      return x;
  }
}

/** erf to ~1e-15 by its Maclaurin series (|x| < 3) or its continued fraction (reference only). */
function erf(x: number): number {
  const ax = Math.abs(x);
  if (ax < 3) {
    let term = ax;
    let sum = ax;
    for (let n = 1; n < 200; n++) {
      term *= (-ax * ax) / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return Math.sign(x) * (2 / Math.sqrt(Math.PI)) * sum;
  }
  // erfc(x) = exp(−x²)/√π · 1/(x + 1/2/(x + 1/(x + 3/2/(x + …))))
  let f = ax;
  for (let k = 60; k >= 1; k--) f = ax + k / 2 / f;
  return Math.sign(x) * (1 - Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f);
}

/** A row-major float64 matrix. */
export interface Mat {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function mat(rows: number, cols: number, data: ArrayLike<number>): Mat {
  return { rows, cols, data: Float64Array.from(data) };
}

/** `x·W + b` for `x` [N, in], `W` [in, out] (row-major), `b` [out] or none. */
export function affine(x: Mat, w: ArrayLike<number>, out: number, b?: ArrayLike<number>): Mat {
  const y = new Float64Array(x.rows * out);
  for (let n = 0; n < x.rows; n++) {
    for (let o = 0; o < out; o++) {
      let s = b ? (b[o] as number) : 0;
      for (let i = 0; i < x.cols; i++)
        s += (x.data[n * x.cols + i] as number) * (w[i * out + o] as number);
      y[n * out + o] = s;
    }
  }
  return { rows: x.rows, cols: out, data: y };
}

export function mapMat(x: Mat, f: (v: number) => number): Mat {
  return { rows: x.rows, cols: x.cols, data: x.data.map(f) };
}

export function addMat(a: Mat, b: Mat): Mat {
  return { rows: a.rows, cols: a.cols, data: a.data.map((v, i) => v + (b.data[i] as number)) };
}

/** NHWC images as a flat float64 array with their shape. */
export interface Img {
  n: number;
  h: number;
  w: number;
  c: number;
  data: Float64Array;
}

/** Stride-1 convolution of NHWC `x` with `[k, k, cin, cout]` `w` and padding `pad` each side, plus bias. */
export function conv(
  x: Img,
  w: ArrayLike<number>,
  k: number,
  cout: number,
  b: ArrayLike<number>,
  pad: number,
): Img {
  const oh = x.h + 2 * pad - k + 1;
  const ow = x.w + 2 * pad - k + 1;
  const y = new Float64Array(x.n * oh * ow * cout);
  for (let n = 0; n < x.n; n++)
    for (let r = 0; r < oh; r++)
      for (let c = 0; c < ow; c++)
        for (let o = 0; o < cout; o++) {
          let s = b[o] as number;
          for (let i = 0; i < k; i++)
            for (let j = 0; j < k; j++) {
              const rr = r + i - pad;
              const cc = c + j - pad;
              if (rr < 0 || rr >= x.h || cc < 0 || cc >= x.w) continue;
              for (let ci = 0; ci < x.c; ci++) {
                s +=
                  (x.data[((n * x.h + rr) * x.w + cc) * x.c + ci] as number) *
                  (w[((i * k + j) * x.c + ci) * cout + o] as number);
              }
            }
          y[((n * oh + r) * ow + c) * cout + o] = s;
        }
  return { n: x.n, h: oh, w: ow, c: cout, data: y };
}

/** 2×2 stride-2 max or average pooling. */
export function pool2(x: Img, kind: 'max' | 'avg'): Img {
  const oh = Math.floor(x.h / 2);
  const ow = Math.floor(x.w / 2);
  const y = new Float64Array(x.n * oh * ow * x.c);
  for (let n = 0; n < x.n; n++)
    for (let r = 0; r < oh; r++)
      for (let c = 0; c < ow; c++)
        for (let ch = 0; ch < x.c; ch++) {
          const vals = [0, 1].flatMap((i) =>
            [0, 1].map(
              (j) => x.data[((n * x.h + 2 * r + i) * x.w + 2 * c + j) * x.c + ch] as number,
            ),
          );
          y[((n * oh + r) * ow + c) * x.c + ch] =
            kind === 'max' ? Math.max(...vals) : vals.reduce((a, v) => a + v, 0) / 4;
        }
  return { n: x.n, h: oh, w: ow, c: x.c, data: y };
}

/** Reads every parameter of a params map into plain float64 arrays. */
export async function readParams(params: Record<string, { data(): Promise<ArrayLike<number>> }>) {
  const out: Record<string, Float64Array> = {};
  for (const [key, t] of Object.entries(params)) out[key] = Float64Array.from(await t.data());
  return out;
}
