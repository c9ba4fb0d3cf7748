import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Model,
  type Params,
  checkModel,
  checkFiniteTensor,
  checkTensor,
  copyTensor,
  disposeParams,
  formatShape,
  toApplyFn,
} from '@descent/core';
import { InitOptionReader } from './init-option-reader';
import type { RandomOptions } from './options';
import { orthogonal } from './orthogonal';
import { traceTaps } from './tap-trace';

/** Options of {@link lsuv}. */
export interface LsuvOptions extends RandomOptions {
  /** Stop rescaling a layer once `|Var − 1| < tolVar` (default 0.1, Mishkin & Matas). */
  tolVar?: number;
  /** At most this many rescalings per layer (default 10). */
  maxIters?: number;
  /**
   * Start from an orthogonal initialization of every `weight` parameter of rank ≥ 2 (default
   * `true`, the paper's step 1); the generator (`rng` or `seed`) is then required, and parameter
   * `name` draws from `rng.child(name)`. With `false` the model's current weights are rescaled.
   */
  orthogonalStart?: boolean;
}

/** What {@link lsuv} did to one layer. */
export interface LsuvLayerReport {
  /** The layer (its `ParamInfo.layer`, as passed to `tap`). */
  layer: string;
  /** How many times its weights were divided by `√Var` (0 when the first measurement was within tolerance). */
  iterations: number;
  /** The variance of its pre-activation output measured last, after the final rescaling. */
  variance: number;
  /** Whether `|variance − 1| < tolVar`. */
  converged: boolean;
}

/** The result of {@link lsuv}. */
export interface LsuvResult {
  /** New parameters (every tensor newly allocated; the caller disposes them). */
  params: Params;
  /** One entry per layer, in forward order. */
  report: LsuvLayerReport[];
}

/**
 * Layer-sequential unit-variance initialization (LSUV, Mishkin & Matas 2016), data-dependent:
 *
 * 1. every `weight` parameter of rank ≥ 2 gets an orthogonal initialization (`orthogonalStart`);
 * 2. for each layer `l` in forward order (found by running `model.apply` with a `tap`), compute
 *    `v = Var(z_l)`, the variance over all elements of the layer's pre-activation output on
 *    `batch`, and divide the layer's weights by `√v`; repeat until `|v − 1| < tolVar` or
 *    `maxIters` rescalings.
 *
 * Earlier layers are final when a layer is processed, so after the pass every layer's output has
 * unit variance on `batch` (to `tolVar`). Biases are left as they are (usually zero; a non-zero
 * bias is why more than one rescaling can be needed). A layer whose output has zero variance
 * (dead, or a zero weight) cannot be rescaled: it is reported with `converged: false`.
 *
 * The caller's parameters are neither disposed nor modified; the model must call `tap` (as
 * `@descent/nets` models do), in inference mode (`training: false`) here.
 *
 * @param model - a {@link Model} whose `apply` calls `tap(layer, z)`; a layer's weights are the
 *   params with that `ParamInfo.layer` and role `'weight'`. A layer tapped twice is rejected.
 * @param batch - a representative input batch (Mishkin & Matas use one mini-batch).
 * @param options - `tolVar` (0.1), `maxIters` (10), `orthogonalStart` (true), `rng` or `seed`.
 * @returns the new params and a per-layer report.
 * @throws DescentError `BAD_ARGUMENT` (not a model, model without taps, a tapped layer without
 *   weights or tapped twice, missing generator), `BAD_HYPERPARAM` (tolVar outside (0, 1),
 *   maxIters not a positive integer), `NON_FINITE` for a batch holding NaN or ±Infinity (read
 *   asynchronously) or a layer whose output variance is not finite (e.g. non-finite weights),
 *   `DISPOSED` for a disposed batch or parameter, `UNKNOWN_PARAM` for an unknown option.
 * @example
 * ```ts
 * const { params, report } = await lsuv(model, xBatch, { seed: 0 });
 * console.table(report); // iterations and final variance per layer
 * ```
 * @see D. Mishkin & J. Matas, All you need is a good init, ICLR 2016.
 */
export async function lsuv(
  model: Model,
  batch: tf.Tensor,
  options?: LsuvOptions,
): Promise<LsuvResult> {
  const fn = 'lsuv';
  checkModel(`${fn}: model`, model);
  checkTensor(`${fn}: batch`, batch);
  const read = new InitOptionReader(fn, options, [
    'rng',
    'seed',
    'tolVar',
    'maxIters',
    'orthogonalStart',
  ]);
  const tolVar = read.number('tolVar', 0.1, {
    min: 0,
    max: 1,
    minExclusive: true,
    maxExclusive: true,
  });
  const maxIters = read.integer('maxIters', 10, { min: 1 });
  const orthogonalStart = read.boolean('orthogonalStart', true);
  const rng = orthogonalStart ? read.rng()() : undefined;
  await checkFiniteTensor(`${fn}: batch`, batch);
  const apply = toApplyFn(model);
  const layers = traceTaps(fn, apply, model.params, batch).map((r) => r.layer);
  const weightsOf = new Map<string, string[]>();
  for (const layer of layers) {
    if (weightsOf.has(layer)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${fn}: layer ${JSON.stringify(layer)} is tapped more than once per forward pass; LSUV needs one output per layer.`,
      );
    }
    const keys = Object.keys(model.params).filter(
      (k) => model.info[k]!.layer === layer && model.info[k]!.role === 'weight',
    );
    if (keys.length === 0) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${fn}: tapped layer ${JSON.stringify(layer)} has no parameter with role 'weight' and ParamInfo.layer ${JSON.stringify(layer)}.`,
      );
    }
    weightsOf.set(layer, keys);
  }

  const params: Params = {};
  try {
    for (const [key, t] of Object.entries(model.params)) {
      const info = model.info[key]!;
      params[key] =
        rng && info.role === 'weight' && t.rank >= 2
          ? orthogonal(t.shape, { rng: rng.child(key) })
          : copyTensor(t, `${fn}: model.params[${JSON.stringify(key)}]`);
    }
    const report: LsuvLayerReport[] = [];
    for (const layer of layers) {
      let iterations = 0;
      let variance = await layerVariance(fn, apply, params, batch, layer);
      while (Math.abs(variance - 1) >= tolVar && iterations < maxIters && variance > 0) {
        const factor = 1 / Math.sqrt(variance);
        for (const key of weightsOf.get(layer)!) {
          const old = params[key]!;
          params[key] = tf.tidy(() => tf.mul(old, tf.scalar(factor)));
          old.dispose();
        }
        iterations++;
        variance = await layerVariance(fn, apply, params, batch, layer);
      }
      report.push({ layer, iterations, variance, converged: Math.abs(variance - 1) < tolVar });
    }
    return { params, report };
  } catch (error) {
    disposeParams(params);
    throw error;
  }
}

/** The variance over all elements of `layer`'s pre-activation output on `x`. */
async function layerVariance(
  fn: string,
  apply: Model['apply'],
  params: Params,
  x: tf.Tensor,
  layer: string,
): Promise<number> {
  let variance: tf.Tensor | undefined;
  let shape: number[] = [];
  tf.tidy(() => {
    apply(params, x, {
      training: false,
      tap: (name, z) => {
        if (name === layer && variance === undefined) {
          shape = [...z.shape];
          variance = tf.keep(tf.moments(z).variance);
        }
        return z;
      },
    });
  });
  const t = variance as tf.Tensor | undefined;
  if (t === undefined) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: layer ${JSON.stringify(layer)} was not tapped in a later forward pass; the model's taps must not change between calls.`,
    );
  }
  const value = (await t.data())[0]!;
  t.dispose();
  if (!Number.isFinite(value)) {
    throw new DescentError(
      'NON_FINITE',
      `${fn}: the variance of layer ${JSON.stringify(layer)}'s output (shape ${formatShape(shape)}) is ${value}.`,
    );
  }
  return value;
}
