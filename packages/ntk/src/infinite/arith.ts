import * as tf from '@tensorflow/tfjs-core';

/**
 * The element-wise arithmetic the kernel recursions are written in, once, for both paths: plain
 * float64 numbers (one input pair at a time) and float32 tensors (every pair at once, with
 * broadcasting of the `[N1, 1]` and `[1, N2]` variances against the `[N1, N2]` covariance).
 * Every operand may also be a plain number (a constant).
 */
export interface Arith<T> {
  add(a: T | number, b: T | number): T;
  sub(a: T | number, b: T | number): T;
  mul(a: T | number, b: T | number): T;
  div(a: T | number, b: T | number): T;
  sqrt(a: T): T;
  acos(a: T): T;
  asin(a: T): T;
  /** `min(max(a, lo), hi)`. */
  clamp(a: T, lo: number, hi: number): T;
  /** `max(a, lo)`. */
  atLeast(a: T, lo: number): T;
  /** The constant `c` in the shape of `like`. */
  fill(like: T, c: number): T;
}

/** {@link Arith} on float64 numbers. */
export const numberArith: Arith<number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  sqrt: Math.sqrt,
  acos: Math.acos,
  asin: Math.asin,
  clamp: (a, lo, hi) => Math.min(Math.max(a, lo), hi),
  atLeast: (a, lo) => Math.max(a, lo),
  fill: (_like, c) => c,
};

/** {@link Arith} on float32 tensors (call inside `tf.tidy`: every result is a new tensor). */
export const tensorArith: Arith<tf.Tensor> = {
  add: (a, b) => tf.add(a, b),
  sub: (a, b) => tf.sub(a, b),
  mul: (a, b) => tf.mul(a, b),
  div: (a, b) => tf.div(a, b),
  sqrt: (a) => tf.sqrt(a),
  acos: (a) => tf.acos(a),
  asin: (a) => tf.asin(a),
  clamp: (a, lo, hi) => tf.clipByValue(a, lo, hi),
  atLeast: (a, lo) => tf.maximum(a, lo),
  fill: (like, c) => tf.fill(like.shape, c, 'float32'),
};
