/**
 * The kernel built column by column from NTK-vector products `Θ v = J₁ (J₂ᵀ v)`: `J₂ᵀ v` for a
 * basis vector `v = e_{j,b}` is the gradient `u = ∂f_b(x₂ⱼ)/∂θ` (one VJP), and `J₁ u` is a JVP
 * made of two VJPs — `g(w) = J₁ᵀ w` is linear in `w`, so `J₁ u = ∂⟨g(w), u⟩/∂w` at any `w` (zero
 * here). Memory stays at a few copies of `θ` and one block of outputs, whatever `P`; the cost is
 * `N₂·O` of these pairs, so it suits huge `P` and small `N`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '@descent/core';
import { outputGradient } from './example-jacobian';
import type { OutputReduction } from './kernel-layout';
import { type NtkProblem, exampleOf, outputs, paramList, rowsOf } from './ntk-problem';

/** The kernel `[n1, n2]` (summed over matching outputs) or `[n1, n2, O, O]` by NTK-vector products. */
export function ntvpKernel(
  p: NtkProblem,
  x1: tf.Tensor,
  x2: tf.Tensor,
  blockSize: number,
  outputCount: number,
  reduction: OutputReduction,
): tf.Tensor {
  const n1 = x1.shape[0] as number;
  const n2 = x2.shape[0] as number;
  const columns: tf.Tensor[] = [];
  try {
    for (let j = 0; j < n2; j++) {
      for (let b = 0; b < outputCount; b++)
        columns.push(column(p, x1, x2, j, b, blockSize, outputCount, reduction));
    }
    return tf.tidy(() => {
      if (reduction !== 'none') {
        // columns[j·O + b] is Θ[:, j, b, b]: sum over b.
        return tf.sum(tf.reshape(tf.stack(columns, 1), [n1, n2, outputCount]), 2);
      }
      // columns[j·O + b] is Θ[:, j, :, b] as [n1, O].
      const stacked = tf.reshape(tf.stack(columns, 0), [n2, outputCount, n1, outputCount]);
      return tf.transpose(stacked, [2, 0, 3, 1]);
    });
  } finally {
    tf.dispose(columns);
  }
}

/** `Θ[:, j, :, b]` `[n1, O]`, or only its `a = b` entries `[n1]` for a reduced kernel. */
function column(
  p: NtkProblem,
  x1: tf.Tensor,
  x2: tf.Tensor,
  j: number,
  b: number,
  blockSize: number,
  outputCount: number,
  reduction: OutputReduction,
): tf.Tensor {
  return tf.tidy(() => {
    const theta = paramList(p);
    const u = outputGradient(p, theta, exampleOf(x2, j), b, outputCount);
    const n1 = x1.shape[0] as number;
    const blocks: tf.Tensor[] = [];
    for (let start = 0; start < n1; start += blockSize) {
      const count = Math.min(blockSize, n1 - start);
      blocks.push(jvp(p, theta, rowsOf(x1, start, count), u, outputCount));
    }
    const col = blocks.length === 1 ? (blocks[0] as tf.Tensor) : tf.concat(blocks, 0);
    return reduction === 'none' ? col : tf.reshape(tf.slice(col, [0, b], [n1, 1]), [n1]);
  });
}

/** `J u` `[n, O]` for the rows of `x`: the gradient in `w` of `⟨J(x)ᵀ w, u⟩`. */
function jvp(
  p: NtkProblem,
  theta: readonly tf.Tensor[],
  x: tf.Tensor,
  u: readonly tf.Tensor[],
  outputCount: number,
): tf.Tensor {
  const w0 = tf.zeros([x.shape[0] as number, outputCount]);
  try {
    return tf.grad((w: tf.Tensor) => {
      const g = tf.grads((...values: tf.Tensor[]) => tf.sum(tf.mul(outputs(p, values, x), w)))([
        ...theta,
      ]);
      return tf.addN(g.map((gk, k) => tf.sum(tf.mul(gk, u[k] as tf.Tensor))));
    })(w0);
  } catch (error) {
    throw noSecondOrder(p.fn, error);
  }
}

/** tfjs's errors for an op without a gradient of its gradient. */
const MISSING = /gradient function not found|Cannot compute gradient of y=f\(x\)/i;

function noSecondOrder(fn: string, error: unknown): unknown {
  if (!(error instanceof Error) || !MISSING.test(error.message)) return error;
  return new DescentError(
    'NO_GRADIENTS',
    `${fn}: method 'ntvp' needs the gradient of a gradient, which tfjs lacks for an op of the model ` +
      `(${error.message.split('\n')[0]}); use method 'jacobian'.`,
    { cause: error },
  );
}
