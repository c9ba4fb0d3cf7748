import * as tf from '@tensorflow/tfjs-core';
import { type NtkProblem, exampleOf, outputs, paramList } from './ntk-problem';

/**
 * The Jacobians of examples `[start, start + count)` of `x`, one matrix per differentiated
 * parameter: `J_p` `[count·O, size_p]`, row `i·O + a` holding `∂f_a(x_i)/∂θ_p` (flattened). Each
 * example runs alone (a batch of one) and each output gets its own VJP, so nothing is assumed
 * about how examples interact.
 */
export function exampleJacobians(
  p: NtkProblem,
  x: tf.Tensor,
  start: number,
  count: number,
  outputCount: number,
): tf.Tensor[] {
  return tf.tidy(() => {
    const theta = paramList(p);
    const rows: tf.Tensor[][] = theta.map(() => []);
    for (let i = start; i < start + count; i++) {
      const xi = exampleOf(x, i);
      for (let a = 0; a < outputCount; a++) {
        const g = outputGradient(p, theta, xi, a, outputCount);
        g.forEach((gk, k) => {
          (rows[k] as tf.Tensor[]).push(tf.reshape(gk, [1, gk.size]));
        });
      }
    }
    return rows.map((r) => tf.concat(r, 0));
  });
}

/** `∂f_a(x)/∂θ` for a batch `x` of one example, one tensor per differentiated parameter. */
export function outputGradient(
  p: NtkProblem,
  theta: readonly tf.Tensor[],
  x: tf.Tensor,
  a: number,
  outputCount: number,
): tf.Tensor[] {
  return tf.grads((...values: tf.Tensor[]) => {
    const y = outputs(p, values, x);
    return outputCount === 1 ? tf.sum(y) : tf.sum(tf.slice(y, [0, a], [1, 1]));
  })([...theta]);
}
