import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Model,
  OptionReader,
  type Params,
  formatShape,
  isPlainObject,
  sameShape,
} from '@descent/core';
import { denseFactors, denseKernel, denseLayersOf, disposeFactors } from './dense-factors';
import { exampleJacobians } from './example-jacobian';
import {
  OUTPUT_REDUCTIONS,
  type OutputReduction,
  contractJacobians,
  finishReduction,
  symmetrize,
  transposeKernel,
} from './kernel-layout';
import { ntvpKernel } from './ntvp';
import {
  type NtkFn,
  type NtkProblem,
  checkBatch,
  probeOutputs,
  readNtkProblem,
} from './ntk-problem';

/** How {@link empiricalNtk} computes the kernel. */
export type NtkMethod = 'jacobian' | 'ntvp' | 'auto';

/** Every {@link NtkMethod}. */
export const NTK_METHODS: readonly NtkMethod[] = ['jacobian', 'ntvp', 'auto'];

/** Options of {@link empiricalNtk}. */
export interface EmpiricalNtkOptions {
  /** `'jacobian'`, `'ntvp'` or `'auto'` (default; see {@link empiricalNtk}). */
  method?: NtkMethod;
  /** `'mean'` (default, neural-tangents' averaging over outputs), `'sum'` or `'none'`. */
  outputReduction?: OutputReduction;
  /** Examples per block (Jacobian blocks, batched forward passes). Default 32. */
  batchSize?: number;
  /**
   * Whether the model's rows do not interact, so a block of examples may run as one batch.
   * Default `false`: the model is only ever called on one example at a time.
   */
  batchIndependent?: boolean;
}

/** Above this many floats (`P·O·batchSize`), `'auto'` prefers `'ntvp'` to a Jacobian block. */
export const AUTO_JACOBIAN_FLOATS = 2 ** 25;

const OPTION_KEYS = ['method', 'outputReduction', 'batchSize', 'batchIndependent'];

/**
 * The empirical neural tangent kernel of a model at its parameters `θ`:
 *
 * `Θ(x, x′)_{ab} = Σ_p ∂f_a(θ, x)/∂θ_p · ∂f_b(θ, x′)/∂θ_p`,
 *
 * for every example `x` of `x1` and `x′` of `x2` (`x2` omitted: `x1`, the symmetric kernel,
 * computed once). Output reduction: `'mean'` (default) `Σ_a Θ_aa / O` — neural-tangents' average
 * over logits; `'sum'` `Σ_a Θ_aa` (the PyTorch tutorial's); `'none'` the full `[N1, N2, O, O]`.
 * A model runs in inference mode (`apply(params, x, { training: false })`); a model's `'stat'`
 * parameters (batch-norm running statistics) are held fixed, every other entry of `params` is
 * differentiated (every entry, for a function).
 *
 * Methods:
 * - `'jacobian'`: per-example Jacobians in blocks of `batchSize` examples, contracted parameter
 *   by parameter (`Σ_p J1_p J2_pᵀ`), so at most two blocks of `batchSize·O·P` floats are held.
 *   With `batchIndependent: true` and a dense net (a `Model` whose differentiated parameters are
 *   all dense kernels and biases, each layer passed once to `tap`, as `@descent/nets`' mlp
 *   without norms), a block runs as ONE batch and the kernel comes from Gram matrices of layer
 *   inputs and pre-activation gradients (`(hᵢ·hⱼ + 1)(δᵢₐ·δⱼ_b)` per layer), without per-example
 *   Jacobians; otherwise every example and output gets its own VJP.
 * - `'ntvp'`: the kernel column by column from NTK-vector products `Θv = J₁(J₂ᵀv)`, the JVP
 *   made of two VJPs; memory of a few `θ`, cost `N2·O` VJP pairs — for huge `P` and few examples.
 *   The second VJP differentiates the backward pass in its cotangent only (linear there), so
 *   tfjs's own tanh and sigmoid work; an op whose gradient tfjs cannot differentiate at all
 *   gives `NO_GRADIENTS`.
 * - `'auto'`: `'jacobian'` when the dense fast path applies or a Jacobian block has at most
 *   {@link AUTO_JACOBIAN_FLOATS} floats (`P·O·batchSize`), `'ntvp'` otherwise.
 *
 * `batchIndependent: true` is safe exactly when `f` of a batch equals the stack of `f` of its
 * examples one by one: true in inference mode for dense and conv nets, batch norm (running
 * statistics) and layer norm; false for batch norm in training mode, or anything mixing rows
 * (attention across the batch, batch-level statistics). With `false` (default) every forward
 * pass sees one example.
 *
 * @param modelOrFn - a core `Model` or a function `(params, x) => f(x)` returning float32 `[n, O]`
 *   (or `[n]`, counted as `O = 1`); it must not dispose its arguments.
 * @param params - the parameters `θ` (a `Params` record, float32 where differentiated); not changed.
 * @param x1 - inputs `[N1, …]`.
 * @param x2 - inputs `[N2, …]` with the same example shape, or omitted / `null` (the options may
 *   then come fourth).
 * @param options - `method` (`'auto'`), `outputReduction` (`'mean'`), `batchSize` (32),
 *   `batchIndependent` (false).
 * @returns a new float32 tensor `[N1, N2]`, or `[N1, N2, O, O]` for `'none'`; the caller disposes it.
 *   Without `x2` it is exactly symmetric.
 * @throws DescentError before anything is computed: `BAD_ARGUMENT` (not a model or function,
 *   params or inputs that are not tensors, options not an object, a model output that is not a
 *   tensor), `UNKNOWN_PARAM` (an unknown option), `BAD_HYPERPARAM` (unknown method or reduction,
 *   batchSize not a positive integer), `DISPOSED`, `DTYPE_MISMATCH`, `SHAPE_MISMATCH` (x1 and x2
 *   with different example shapes, an input the model refuses, an output not `[n, O]`); while
 *   computing, `NO_GRADIENTS` for `'ntvp'` on a model without second-order gradients.
 * @example
 * ```ts
 * const net = mlp({ sizes: [3, 16, 16, 4], seed: 1 });
 * const k = empiricalNtk(net, net.params, x, undefined, { batchIndependent: true }); // [N, N]
 * ```
 * @see A. Jacot, F. Gabriel, C. Hongler, Neural Tangent Kernel: Convergence and Generalization in
 *   Neural Networks, NeurIPS 2018; R. Novak, J. Sohl-Dickstein, S. Schoenholz, Fast Finite Width
 *   Neural Tangent Kernel, ICML 2022.
 */
export function empiricalNtk(
  modelOrFn: Model | NtkFn,
  params: Params,
  x1: tf.Tensor,
  x2?: tf.Tensor | null,
  options?: EmpiricalNtkOptions,
): tf.Tensor {
  const fn = 'empiricalNtk';
  let second: unknown = x2;
  let opts: unknown = options;
  if (isPlainObject(x2) && options === undefined) {
    second = undefined;
    opts = x2;
  }
  const p = readNtkProblem(fn, modelOrFn, params);
  checkBatch(fn, 'x1', x1);
  const symmetric = second === undefined || second === null;
  if (!symmetric) {
    checkBatch(fn, 'x2', second);
    if (!sameShape(x1.shape.slice(1), (second as tf.Tensor).shape.slice(1))) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `${fn}: x1 ${formatShape(x1.shape)} and x2 ${formatShape((second as tf.Tensor).shape)} must have the same example shape (all axes but the first).`,
      );
    }
  }
  const read = new OptionReader(fn, opts === undefined ? {} : opts, OPTION_KEYS);
  const method = read.oneOf('method', NTK_METHODS, 'auto');
  const reduction = read.oneOf('outputReduction', OUTPUT_REDUCTIONS, 'mean');
  const batchSize = read.integer('batchSize', 32, { min: 1 });
  const independent = read.boolean('batchIndependent', false);
  const outputCount = probeOutputs(p, x1, 'x1');
  const xb = symmetric ? x1 : (second as tf.Tensor);
  if (!symmetric) probeOutputs(p, xb, 'x2');
  const run = { p, x1, x2: xb, symmetric, batchSize, outputCount, reduction, independent };
  const kernel =
    method === 'ntvp' ? ntvpPath(run) : (jacobianPath(run, method === 'auto') ?? ntvpPath(run));
  return finishReduction(kernel, outputCount, reduction);
}

interface Run {
  p: NtkProblem;
  x1: tf.Tensor;
  x2: tf.Tensor;
  symmetric: boolean;
  batchSize: number;
  outputCount: number;
  reduction: OutputReduction;
  independent: boolean;
}

function ntvpPath(r: Run): tf.Tensor {
  const block = r.independent ? r.batchSize : 1;
  const k = ntvpKernel(r.p, r.x1, r.x2, block, r.outputCount, r.reduction);
  if (!r.symmetric) return k;
  const s = symmetrize(k);
  k.dispose();
  return s;
}

/** The Jacobian method; `undefined` when `auto` finds a Jacobian block too large. */
function jacobianPath(r: Run, auto: boolean): tf.Tensor | undefined {
  if (r.independent) {
    const dense = denseJacobianPath(r);
    if (dense !== undefined) return dense;
  }
  const paramSize = r.p.keys.reduce((s, k) => s + (r.p.params[k] as tf.Tensor).size, 0);
  if (auto && paramSize * r.outputCount * r.batchSize > AUTO_JACOBIAN_FLOATS) return undefined;
  return blockedJacobianKernel(r);
}

function denseJacobianPath(r: Run): tf.Tensor | undefined {
  const layers = denseLayersOf(r.p, r.x1);
  if (layers === undefined) return undefined;
  const f1 = denseFactors(r.p, layers, r.x1, r.batchSize, r.outputCount);
  if (f1 === undefined) return undefined;
  try {
    if (r.symmetric) {
      const k = denseKernel(layers, f1, f1, r.outputCount, r.reduction);
      const s = symmetrize(k);
      k.dispose();
      return s;
    }
    const f2 = denseFactors(r.p, layers, r.x2, r.batchSize, r.outputCount);
    if (f2 === undefined) return undefined;
    try {
      return denseKernel(layers, f1, f2, r.outputCount, r.reduction);
    } finally {
      disposeFactors(f2);
    }
  } finally {
    disposeFactors(f1);
  }
}

/**
 * Blocks `(I, J)` of `batchSize` examples: the Jacobians of block `I` are kept while the blocks
 * `J` are computed (only `J ≥ I` when symmetric, the rest mirrored).
 */
function blockedJacobianKernel(r: Run): tf.Tensor {
  const n1 = r.x1.shape[0] as number;
  const n2 = r.x2.shape[0] as number;
  const starts = (n: number) =>
    Array.from({ length: Math.ceil(n / r.batchSize) }, (_, b) => b * r.batchSize);
  const rowStarts = starts(n1);
  const colStarts = starts(n2);
  const blocks: tf.Tensor[][] = rowStarts.map(() => []);
  const jac = (x: tf.Tensor, start: number, n: number) =>
    exampleJacobians(r.p, x, start, Math.min(r.batchSize, n - start), r.outputCount);
  try {
    rowStarts.forEach((s1, bi) => {
      const j1 = jac(r.x1, s1, n1);
      try {
        colStarts.forEach((s2, bj) => {
          if (r.symmetric && bj < bi) return;
          if (r.symmetric && bj === bi) {
            const k = contractJacobians(j1, j1, r.outputCount, r.reduction);
            (blocks[bi] as tf.Tensor[])[bj] = symmetrize(k);
            k.dispose();
            return;
          }
          const j2 = jac(r.x2, s2, n2);
          try {
            (blocks[bi] as tf.Tensor[])[bj] = contractJacobians(j1, j2, r.outputCount, r.reduction);
          } finally {
            tf.dispose(j2);
          }
        });
      } finally {
        tf.dispose(j1);
      }
    });
    return tf.tidy(() => {
      const rows = blocks.map((row, bi) =>
        tf.concat(
          colStarts.map((_, bj) =>
            r.symmetric && bj < bi
              ? transposeKernel((blocks[bj] as tf.Tensor[])[bi] as tf.Tensor)
              : (row[bj] as tf.Tensor),
          ),
          1,
        ),
      );
      return tf.concat(rows, 0);
    });
  } finally {
    for (const row of blocks) tf.dispose(row.filter((t) => t !== undefined));
  }
}
