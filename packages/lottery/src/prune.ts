import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  OptionReader,
  type ParamInfo,
  type Params,
  checkNumber,
  checkParamInfo,
  checkParams,
  describeValue,
  isPlainObject,
} from '@descent/core';
import { type Masks, checkMask, checkMaskValues } from './masks';
import { type PruneAmount, type PruneGroup, pruneGroups } from './prune-counts';

/** Options of {@link prune}. */
export interface PruneOptions {
  /** The parameters' info (e.g. `net.info`), keyed exactly like the scores (required). */
  info: Record<string, ParamInfo>;
  /** Masks of earlier rounds (float32 0/1, keyed like eligible parameters); their 0s stay 0. */
  masks?: Masks;
  /** Fraction of the still-kept eligible weights to remove, in [0, 1]. Give this or `density`. */
  rate?: number;
  /** Fraction of the eligible weights to keep, in [0, 1]. Give this or `rate`. */
  density?: number;
  /** Per-parameter rates overriding `rate` (layerwise only), e.g. `{ 'dense3/kernel': 0.1 }`. */
  rates?: Record<string, number>;
  /** `'layerwise'` (default): each parameter on its own; `'global'`: all eligible ones together. */
  scope?: 'global' | 'layerwise';
  /** Names of weights never to prune (e.g. the first layer). */
  exclude?: readonly string[];
  /**
   * Which scores go first: `'lowest'` (default; magnitude, SNIP, SynFlow) or `'highest'` (GraSP's
   * −θ ⊙ Hg, whose largest entries are the ones to remove). Ties still go to the lower index.
   */
  remove?: 'lowest' | 'highest';
}

const KNOWN = ['info', 'masks', 'rate', 'density', 'rates', 'scope', 'exclude', 'remove'];
const UNIT = { min: 0, max: 1 };

/**
 * Pruning masks from scores: removes the lowest-scored weights, as in the lottery-ticket
 * procedure of Frankle & Carbin (2019) — train, prune `p %` of the remaining weights by
 * magnitude, rewind the survivors (Frankle et al. 2020), repeat.
 *
 * Eligible parameters are those whose `info` role is `'weight'` (never biases, norm scales or
 * statistics), minus `exclude`. A weight already 0 in `masks` stays removed (its score is
 * ignored). With `rate`, `round(rate × kept)` of the `kept` still-kept weights are removed (per
 * parameter for `'layerwise'`, using `rates[name]` where given; over all eligible weights for
 * `'global'`); with `density`, weights are removed until `round(density × total)` are kept (or
 * none, if already fewer). The lowest score goes first (the highest with `remove: 'highest'`,
 * for GraSP); ties go to the lower flat index, and for
 * `'global'` the order is score, then parameter order in `scores`, then flat index. So after
 * `n` layerwise rounds at rate `p` a layer keeps about `(1 − p)ⁿ` of its weights.
 *
 * Async because it reads the scores and masks with `await data()`, which works on every backend
 * (webgpu in Node included).
 *
 * @param scores - One score tensor per parameter, keyed like `info` (e.g. `magnitudeScores`).
 * @param options - `info` (required), `rate` or `density`, `rates`, `scope` (`'layerwise'`),
 *   `remove` (`'lowest'`), `masks`, `exclude`.
 * @returns one float32 0/1 mask per eligible parameter, and no other key; the caller disposes.
 * @throws DescentError before allocating anything: `BAD_HYPERPARAM` (a rate or density outside
 *   [0, 1], both or neither given, `rates` with `density` or `'global'`, a bad scope),
 *   `UNKNOWN_PARAM` (a name in `rates`, `exclude`, `masks` or `info` that is no (eligible)
 *   parameter, a score without info, an unknown option), `SHAPE_MISMATCH` / `DTYPE_MISMATCH`
 *   (a mask), `BAD_ARGUMENT` (not records, bad info, scores not numeric, a mask value other than
 *   0 or 1), `NON_FINITE` (a NaN or infinite eligible score), `DISPOSED`.
 * @example
 * ```ts
 * let masks = await prune(magnitudeScores(trained), { info: net.info, rate: 0.2 });
 * // next round: prune(magnitudeScores(trainedAgain), { info: net.info, rate: 0.2, masks })
 * ```
 * @see J. Frankle, M. Carbin, The Lottery Ticket Hypothesis: Finding Sparse, Trainable Neural
 *   Networks, ICLR 2019; J. Frankle, G. K. Dziugaite, D. M. Roy, M. Carbin, Linear Mode
 *   Connectivity and the Lottery Ticket Hypothesis, ICML 2020.
 */
export async function prune(scores: Params, options: PruneOptions): Promise<Masks> {
  const plan = readPrune(scores, options);
  const groups: PruneGroup[] = [];
  for (const key of plan.eligible) {
    const score = scores[key] as tf.Tensor;
    const values = await score.data();
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i] as number)) {
        throw new DescentError(
          'NON_FINITE',
          `prune: scores[${JSON.stringify(key)}] has ${values[i]} at flat index ${i}; scores must be finite.`,
        );
      }
    }
    const given = plan.masks[key];
    let mask: Float32Array;
    if (given === undefined) {
      mask = new Float32Array(values.length).fill(1);
    } else {
      mask = Float32Array.from(await given.data());
      checkMaskValues(`prune.masks[${JSON.stringify(key)}]`, mask);
    }
    groups.push({
      scores: plan.remove === 'highest' ? Float64Array.from(values, (v) => -v) : values,
      mask,
    });
  }
  if (plan.scope === 'global') {
    pruneGroups(groups, plan.amount);
  } else {
    plan.eligible.forEach((key, i) => {
      const rate = plan.rates[key];
      pruneGroups([groups[i] as PruneGroup], rate === undefined ? plan.amount : { rate });
    });
  }
  const out: Masks = {};
  plan.eligible.forEach((key, i) => {
    out[key] = tf.tensor(
      (groups[i] as PruneGroup).mask,
      (scores[key] as tf.Tensor).shape,
      'float32',
    );
  });
  return out;
}

/** What {@link readPrune} found: the eligible weights in key order and the checked options. */
export interface PrunePlan {
  eligible: string[];
  masks: Masks;
  amount: PruneAmount;
  rates: Record<string, number>;
  scope: 'global' | 'layerwise';
  remove: 'lowest' | 'highest';
}

/**
 * Every check of {@link prune}, before anything is read or allocated; `what` names the caller in
 * messages (`imp` checks its own pruning options with it).
 */
export function readPrune(scores: Params, options: PruneOptions, what = 'prune'): PrunePlan {
  checkParams(`${what}: scores`, scores);
  const read = new OptionReader(what, options, KNOWN);
  const info = read.raw('info');
  if (!isPlainObject(info)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${read.name('info')} must be a record of ParamInfo keyed like the scores, got ${describeValue(info)}.`,
    );
  }
  for (const key of Object.keys(info)) {
    if (!Object.hasOwn(scores, key)) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `${what}.info[${JSON.stringify(key)}] names no parameter of scores.`,
      );
    }
    checkParamInfo(`${what}.info[${JSON.stringify(key)}]`, info[key]);
  }
  for (const key of Object.keys(scores)) {
    if (!Object.hasOwn(info, key)) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `${what}: scores[${JSON.stringify(key)}] has no entry in ${what}.info; scores must be keyed like info.`,
      );
    }
    const dtype = (scores[key] as tf.Tensor).dtype;
    if (dtype !== 'float32' && dtype !== 'int32') {
      throw new DescentError(
        'DTYPE_MISMATCH',
        `${what}: scores[${JSON.stringify(key)}] must be float32 or int32, got ${dtype}.`,
      );
    }
  }
  const scope = read.oneOf('scope', ['global', 'layerwise'] as const, 'layerwise');
  const rate = read.optionalNumber('rate', UNIT);
  const density = read.optionalNumber('density', UNIT);
  if (rate !== undefined && density !== undefined) {
    throw new DescentError('BAD_HYPERPARAM', `${what}: give either rate or density, not both.`);
  }
  if (rate === undefined && density === undefined) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${what}: give a rate or a density (neither was given).`,
    );
  }
  const exclude = readExclude(read.raw('exclude'), scores, what);
  const eligible = Object.keys(scores).filter(
    (key) => (info[key] as ParamInfo).role === 'weight' && !exclude.includes(key),
  );
  const rates = readRates(read.raw('rates'), eligible, scope, density !== undefined, what);
  const masks = readMasks(read.raw('masks'), scores, eligible, what);
  const amount: PruneAmount = rate !== undefined ? { rate } : { density: density as number };
  const remove = read.oneOf('remove', ['lowest', 'highest'] as const, 'lowest');
  return { eligible, masks, amount, rates, scope, remove };
}

function readExclude(value: unknown, scores: Params, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${what}.exclude must be an array of parameter names, got ${describeValue(value)}.`,
    );
  }
  value.forEach((name, i) => {
    if (typeof name !== 'string') {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${what}.exclude[${i}] must be a parameter name, got ${describeValue(name)}.`,
      );
    }
    if (!Object.hasOwn(scores, name)) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `${what}.exclude[${i}] (${JSON.stringify(name)}) names no parameter of scores.`,
      );
    }
  });
  return value as string[];
}

function readRates(
  value: unknown,
  eligible: readonly string[],
  scope: string,
  byDensity: boolean,
  what: string,
): Record<string, number> {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${what}.rates must be a record of rates keyed by parameter name, got ${describeValue(value)}.`,
    );
  }
  if (byDensity || scope === 'global') {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${what}.rates applies only with a rate and scope 'layerwise'${byDensity ? ', not with a density' : `, not with scope '${scope}'`}.`,
    );
  }
  for (const [key, r] of Object.entries(value)) {
    if (!eligible.includes(key)) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `${what}.rates[${JSON.stringify(key)}] names no eligible weight (weights by info role, minus exclude).`,
      );
    }
    checkNumber(`${what}.rates[${JSON.stringify(key)}]`, r, UNIT);
  }
  return value as Record<string, number>;
}

function readMasks(
  value: unknown,
  scores: Params,
  eligible: readonly string[],
  what: string,
): Masks {
  if (value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${what}.masks must be a record of float32 0/1 tensors, got ${describeValue(value)}.`,
    );
  }
  for (const [key, mask] of Object.entries(value)) {
    const label = `${what}.masks[${JSON.stringify(key)}]`;
    if (!eligible.includes(key)) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `${label} names no eligible weight (weights by info role, minus exclude).`,
      );
    }
    checkMask(label, mask, (scores[key] as tf.Tensor).shape);
  }
  return value as Masks;
}
