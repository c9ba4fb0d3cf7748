import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  OptionReader,
  type ParamInfo,
  type ParamRole,
  type Params,
  Rng,
} from '@descent/core';
import { checkFloatParams } from '../loss/loss-fn';
import { normalizeFilters } from './filter-normalize';
import { paramRoles } from './param-roles';

/** Options of {@link randomDirection}. */
export interface RandomDirectionOptions {
  /**
   * Rescale every filter of the direction to the norm of the same filter of `θ` (Li et al.,
   * 2018). Default `true`.
   */
  filterNormalize?: boolean;
  /**
   * `'biasbn'` (default): no movement of biases, normalization scales and shifts, running
   * statistics and every tensor of rank ≤ 1 (their direction is zero). `'none'`: move them too —
   * a rank ≤ 1 tensor then gets `θ` itself as its direction when `filterNormalize` (as Li et al.'s
   * code does), the raw Gaussian otherwise.
   */
  ignore?: 'biasbn' | 'none';
  /**
   * The generator. Default `new Rng(0)`. Each call takes `rng.split()` (which advances `rng`), and
   * the Gaussian of every parameter comes from that split's `child(name)` stream: the same seed
   * gives the same direction whatever the key order and backend, and two calls with one `rng`
   * give two independent directions.
   */
  rng?: Rng;
}

type Plan = 'zero' | 'gaussian' | 'filter' | 'copy';

const IGNORED_ROLES: readonly ParamRole[] = ['bias', 'scale', 'shift', 'stat'];

/**
 * A random direction in parameter space for loss-surface plots: a Gaussian `d ~ N(0, I)` shaped
 * like `params`, filter-normalized by default (Li et al., 2018): for every filter `f` of a weight,
 * `d_f ← d_f · ‖θ_f‖ / ‖d_f‖`. In tfjs layouts a filter is a slice along the **last** axis — a
 * dense kernel `[in, out]` has `out` filters of `in` numbers, a conv kernel `[kh, kw, in, out]`
 * has `out` filters of `kh·kw·in` numbers. Normalized, a step `α·d` changes every filter by the
 * fraction `|α|` of its norm, which removes the scale invariance that makes unnormalized plots of
 * ReLU and batch-norm networks misleading.
 *
 * The Gaussian is drawn in JavaScript and the normalization computed in float64 from `θ`'s values
 * (one read of the weights), then rounded once to float32: the result is bit-identical on every
 * backend. A filter whose `‖d_f‖` or `‖θ_f‖` is 0 gets zeros, never NaN.
 *
 * @param params - `θ`: a non-empty map of float32 tensors (not modified).
 * @param info - what each parameter is (e.g. `model.info`): must describe every key of `params`
 *   (extra entries are ignored), with a layout fitting the tensor's rank. `undefined` guesses it
 *   from tfjs names and shapes (core's `inferParamInfo`: `…/kernel` → weight, `…/bias` → bias,
 *   `gamma`/`beta` → scale/shift, `moving_*` → stat, otherwise rank ≥ 2 → weight, else bias).
 * @param options - `filterNormalize` (`true`), `ignore` (`'biasbn'`), `rng` (`new Rng(0)`).
 * @returns `d`: new float32 tensors keyed and shaped like `params`; the caller disposes them.
 * @throws DescentError `BAD_ARGUMENT` (params not a non-empty map of tensors, `info` malformed,
 *   `rng` not an `Rng`, options not a plain object), `UNKNOWN_PARAM` (an unknown option; a key of
 *   `params` missing from `info`), `SHAPE_MISMATCH` (a layout that does not fit the rank),
 *   `BAD_HYPERPARAM` (`filterNormalize` not a boolean, an unknown `ignore`), `DTYPE_MISMATCH`,
 *   `DISPOSED`, `NON_FINITE` (a weight holds NaN or ±∞) — before `rng` advances.
 * @example
 * ```ts
 * const rng = new Rng(7);
 * const d1 = await randomDirection(model.params, model.info, { rng });
 * const d2 = await randomDirection(model.params, model.info, { rng }); // independent of d1
 * ```
 * @see H. Li, Z. Xu, G. Taylor, C. Studer, T. Goldstein, Visualizing the Loss Landscape of Neural
 *   Nets, NeurIPS 2018, §4 (filter normalization) and its code (`net_plotter.py`).
 */
export async function randomDirection(
  params: Params,
  info: Record<string, ParamInfo> | undefined,
  options: RandomDirectionOptions = {},
): Promise<Params> {
  const fn = 'randomDirection';
  const read = new OptionReader(fn, options, ['filterNormalize', 'ignore', 'rng']);
  const filterNormalize = read.boolean('filterNormalize', true);
  const ignore = read.oneOf('ignore', ['biasbn', 'none'], 'biasbn');
  const rng = read.generator('rng', new Rng(0));
  checkFloatParams(`${fn}: params`, params);
  const roles = paramRoles(fn, params, info);
  const keys = Object.keys(params);
  const plans = keys.map((k) =>
    planFor(params[k] as tf.Tensor, roles[k] as ParamRole, filterNormalize, ignore),
  );
  const thetas = await readThetas(fn, params, keys, plans);
  const stream = rng.split();
  const out: Params = {};
  keys.forEach((key, i) => {
    const theta = params[key] as tf.Tensor;
    const values = directionValues(plans[i] as Plan, theta, thetas[i], stream.child(key));
    out[key] = tf.tensor(values, theta.shape, 'float32');
  });
  return out;
}

/** What the direction of one parameter is made of. */
function planFor(
  theta: tf.Tensor,
  role: ParamRole,
  filterNormalize: boolean,
  ignore: 'biasbn' | 'none',
): Plan {
  if (ignore === 'biasbn' && (theta.rank <= 1 || IGNORED_ROLES.includes(role))) return 'zero';
  if (!filterNormalize) return 'gaussian';
  return theta.rank <= 1 ? 'copy' : 'filter';
}

/** The values of `θ` where the plan needs them (`undefined` elsewhere), checked finite. */
async function readThetas(
  fn: string,
  params: Params,
  keys: readonly string[],
  plans: readonly Plan[],
): Promise<(Float32Array | undefined)[]> {
  const thetas = await Promise.all(
    keys.map((k, i) =>
      plans[i] === 'filter' || plans[i] === 'copy'
        ? ((params[k] as tf.Tensor).data() as Promise<Float32Array>)
        : undefined,
    ),
  );
  keys.forEach((k, i) => {
    const values = thetas[i];
    const bad = values?.findIndex((v) => !Number.isFinite(v)) ?? -1;
    if (bad >= 0) {
      throw new DescentError(
        'NON_FINITE',
        `${fn}: params[${JSON.stringify(k)}] holds ${values?.[bad]} at flat index ${bad}; filter normalization needs finite weights.`,
      );
    }
  });
  return thetas;
}

function directionValues(
  plan: Plan,
  theta: tf.Tensor,
  values: Float32Array | undefined,
  stream: Rng,
): Float32Array {
  switch (plan) {
    case 'zero':
      return new Float32Array(theta.size);
    case 'copy':
      return Float32Array.from(values as Float32Array);
    case 'gaussian':
      return stream.normalArray(theta.size);
    case 'filter':
      return normalizeFilters(
        stream.normalArray(theta.size),
        values as Float32Array,
        theta.shape[theta.rank - 1] as number,
      );
  }
}
