import * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Model, OptionReader, checkModel, describeValue } from '@descent/core';
import { applyMasks } from './apply-masks';
import { type Masks, checkMaskValues } from './masks';
import { prune, readPrune } from './prune';
import { synflowScores } from './synflow-scores';

/** Options of {@link synflowPrune}. */
export interface SynflowPruneOptions {
  /** The shape of one input example, without the batch axis, as for `synflowScores` (required). */
  inputShape: readonly number[];
  /** Final fraction of the eligible weights to keep, in [0, 1] (required). */
  density: number;
  /** Rounds of scoring and pruning, an integer ≥ 1 (default 100, as in the paper). */
  iterations?: number;
  /** `'global'` (default, the paper's): all eligible weights ranked together; or `'layerwise'`. */
  scope?: 'global' | 'layerwise';
  /** Names of weights never to prune (e.g. the first layer), as for `prune`. */
  exclude?: readonly string[];
  /** Masks to start from (float32 0/1, keyed like eligible weights); their 0s stay 0. */
  masks?: Masks;
}

const KNOWN = ['inputShape', 'density', 'iterations', 'scope', 'exclude', 'masks'];
const FN = 'synflowPrune';

/**
 * Iterative SynFlow pruning (Tanaka et al., 2020), data-free: prunes a model at initialization to
 * `density` in `n = iterations` rounds on the exponential schedule
 *
 * `d_k = density^(k/n)`, `k = 1, …, n`,
 *
 * each round scoring the already-masked network with `s = |θ ⊙ m| ⊙ ∂R/∂|θ ⊙ m|` (one round of
 * `synflowScores`, `R = Σ f(|θ ⊙ m|, 𝟙)`) and pruning to density `d_k` with `prune`'s counting
 * rule: `round(d_k × total)` eligible weights kept, the lowest score removed first, ties to the
 * parameter order then the lower flat index, weights removed in earlier rounds staying removed.
 * So the result keeps exactly `round(density × total)` eligible weights (fewer only if `masks`
 * already kept fewer), and every round's mask is nested in the one before.
 *
 * Re-scoring is what avoids layer collapse: the scores of each layer of a bias-free ReLU net sum
 * to `R` (conservation), so one-shot global pruning removes large layers first and can cut one
 * completely at a small density, while pruning a little at a time lets the surviving weights of a
 * thinned layer gain score.
 *
 * Eligible weights are those whose `info` role is `'weight'`, minus `exclude`, as for `prune`.
 * With `iterations: 1` the result equals
 * `prune(await synflowScores(model, { inputShape }), { info: model.info, density, scope: 'global' })`.
 *
 * @param model - a `Model` (`{ params, info, apply }`), float32 parameters; not changed.
 * @param options - `inputShape` and `density` (required), `iterations` (100), `scope`
 *   (`'global'`), `exclude`, `masks`.
 * @returns a promise of one float32 0/1 mask per eligible parameter; the caller disposes them.
 * @throws DescentError, every option checked before any scoring: `BAD_ARGUMENT` (not a model,
 *   options not an object, a bad `inputShape`, a mask value other than 0 or 1), `BAD_HYPERPARAM`
 *   (`density` missing or outside [0, 1], `iterations` not an integer ≥ 1, a bad `scope`),
 *   `NON_FINITE`, `UNKNOWN_PARAM` (an unknown option, a name in `exclude` or `masks` that is no
 *   (eligible) parameter), `SHAPE_MISMATCH` / `DTYPE_MISMATCH` (a mask; the model refusing the
 *   input shape), `DISPOSED`; and whatever `synflowScores` throws while scoring.
 * @example
 * ```ts
 * const masks = await synflowPrune(net, { inputShape: [784], density: 0.01 });
 * const ticket = applyMasks(net.params, masks);
 * ```
 * @see H. Tanaka, D. Kunin, D. Yamins, S. Ganguli, Pruning neural networks without any data by
 *   iteratively conserving synaptic flow, NeurIPS 2020.
 */
export async function synflowPrune(model: Model, options: SynflowPruneOptions): Promise<Masks> {
  checkModel(`${FN}: model`, model);
  const read = new OptionReader(FN, options, KNOWN);
  const inputShape = readInputShape(read.name('inputShape'), read.raw('inputShape'));
  const density = read.number('density', undefined, { min: 0, max: 1 });
  const iterations = read.integer('iterations', 100, { min: 1 });
  const scope = read.oneOf('scope', ['global', 'layerwise'] as const, 'global');
  const exclude = read.raw('exclude') as readonly string[] | undefined;
  const given = read.raw('masks') as Masks | undefined;
  const plan = readPrune(
    model.params,
    { info: model.info, density, scope, exclude, masks: given },
    FN,
  );
  for (const [key, mask] of Object.entries(plan.masks)) {
    checkMaskValues(`${FN}.masks[${JSON.stringify(key)}]`, await mask.data());
  }

  let masks: Masks | undefined = given;
  let owned = false;
  try {
    for (let k = 1; k <= iterations; k++) {
      const scores = await scoreMasked(model, masks, inputShape);
      let next: Masks;
      try {
        next = await prune(scores, {
          info: model.info,
          density: density ** (k / iterations),
          scope,
          exclude,
          masks,
        });
      } finally {
        tf.dispose(Object.values(scores));
      }
      if (owned && masks !== undefined) tf.dispose(Object.values(masks));
      masks = next;
      owned = true;
    }
  } catch (e) {
    if (owned && masks !== undefined) tf.dispose(Object.values(masks));
    throw e;
  }
  return masks as Masks;
}

/** One round of SynFlow scores on `θ ⊙ m`. */
async function scoreMasked(
  model: Model,
  masks: Masks | undefined,
  inputShape: readonly number[],
): Promise<Record<string, tf.Tensor>> {
  const params = applyMasks(model.params, masks ?? {});
  try {
    return await synflowScores({ ...model, params }, { inputShape });
  } finally {
    tf.dispose(Object.values(params));
  }
}

function readInputShape(name: string, value: unknown): number[] {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    !value.every((d) => typeof d === 'number' && Number.isInteger(d) && d >= 1)
  ) {
    const shown = Array.isArray(value)
      ? `[${value.map((d) => (typeof d === 'number' ? String(d) : describeValue(d))).join(', ')}]`
      : describeValue(value);
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be a non-empty array of positive integers (one example's shape), got ${shown}.`,
    );
  }
  return [...value];
}
