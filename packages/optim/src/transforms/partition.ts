import type * as tf from '@tensorflow/tfjs-core';
import {
  checkParamInfo,
  DescentError,
  inferParamInfo,
  PARAM_ROLES,
  type ParamInfo,
  type ParamRole,
  type Params,
  checkOptions,
  describeValue,
} from '@descent/core';
import { checkedTransformation } from '../transform/check-update';
import { isPlainRecord } from '../transform/plain-record';
import { checkTransformation } from '../transform/check-transformation';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { makeState, type TransformState } from '../transform/transform-state';

/**
 * Which parameters a {@link PartitionGroup} takes:
 * - a string: exactly that name;
 * - an array of strings: any of those names;
 * - a `RegExp`: names it matches (`/\/bias$/`); `g`/`y` flags are ignored;
 * - a predicate `(name, param) => boolean` (`param` is the parameter when the caller passed
 *   `params`, else its update — same shape); it must give the same answer for a name every time;
 * - `{ role }`: parameters whose {@link ParamInfo} role is `role` (or one of them), from the
 *   `info` option, or inferred from the name and shape by `inferParamInfo` when a name has none.
 */
export type PartitionMatch =
  | string
  | readonly string[]
  | RegExp
  | ((name: string, param: tf.Tensor) => boolean)
  | { role: ParamRole | readonly ParamRole[] };

/** One group of {@link partition}: the parameters it takes and the transformation they get. */
export interface PartitionGroup {
  match: PartitionMatch;
  transform: GradientTransformation;
}

/** Options of {@link partition}. */
export interface PartitionOptions {
  /**
   * The transformation of parameters no group takes. Without it, such a parameter is an error
   * (as optax's `partition`, which needs a label for every parameter): use `maskUpdates` with a
   * zero mask, or a group with a zero learning rate, to freeze parameters explicitly.
   */
  default?: GradientTransformation;
  /** Per-name metadata for `{ role }` matches (e.g. a `Model`'s `info`). */
  info?: Record<string, ParamInfo>;
}

/**
 * Routes parameters to different transformations (optax's `partition` / `multi_transform`;
 * torch.optim's parameter groups): each parameter goes to the **first** group whose `match`
 * takes it, else to `default`; each group's transformation sees only its own parameters.
 *
 * ```
 * updates = ⋃_g  T_g.update({ u_p : p ∈ group g }, state_g, { θ_p : p ∈ group g })
 * ```
 *
 * State: `inner[g]` is group `g`'s state (in the order of `groups`), `inner[groups.length]` the
 * default's. A group's transformation runs only in the steps that carry at least one of its
 * parameters, so its update count (and any schedule it drives) counts those steps; optax runs
 * every group every step (its parameter trees are always complete, so the counts agree when every
 * parameter is updated every step, as in `model.fit`).
 *
 * @throws DescentError `BAD_ARGUMENT` for a malformed group, role or `info` entry; at update
 *   (before any group runs), `UNKNOWN_PARAM` for a parameter no group takes when there is no
 *   `default`, and `SHAPE_MISMATCH` when a `{ role }` group must infer the role of a parameter of
 *   rank 3 or ≥ 5 that has no `info` entry.
 *
 * @example
 * ```ts
 * // no weight decay on biases and norm parameters, a smaller learning rate for the embedding
 * const t = partition(
 *   [
 *     { match: { role: ['bias', 'scale', 'shift'] }, transform: chain(scaleByAdam(), scaleByLearningRate(1e-3)) },
 *     { match: /^embedding\//, transform: chain(scaleByAdam(), scaleByLearningRate(1e-4)) },
 *   ],
 *   { default: chain(scaleByAdam(), addDecayedWeights(1e-2), scaleByLearningRate(1e-3)), info: model.info },
 * );
 * ```
 */
export function partition(
  groups: readonly PartitionGroup[],
  options: PartitionOptions = {},
): GradientTransformation {
  checkOptions('partition', options, ['default', 'info'] satisfies (keyof PartitionOptions)[]);
  if (!Array.isArray(groups)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      'partition: groups must be an array of { match, transform }.',
    );
  }
  const matchers = groups.map((group, i) => {
    if (typeof group !== 'object' || group === null) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `partition: groups[${i}] must be { match, transform }, got ${describeValue(group)}.`,
      );
    }
    checkTransform(`groups[${i}].transform`, group.transform);
    return toMatcher(`groups[${i}].match`, group.match);
  });
  const fallback = options.default;
  if (fallback !== undefined) checkTransform('default', fallback);
  const info = options.info ?? {};
  if (!isPlainRecord(info)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `partition: info must be an object of ParamInfo by name, got ${describeValue(info)}.`,
    );
  }
  for (const [name, entry] of Object.entries(info)) checkParamInfo(`info["${name}"]`, entry);
  const transforms = [...groups.map((g) => g.transform), ...(fallback ? [fallback] : [])];

  /** The index in `transforms` of a parameter's group. */
  const route = (name: string, like: tf.Tensor): number => {
    const context: MatchContext = {
      name,
      param: like,
      info: () => info[name] ?? inferParamInfo(name, like.shape),
    };
    const index = matchers.findIndex((matches) => matches(context));
    if (index >= 0) return index;
    if (fallback) return groups.length;
    throw new DescentError(
      'UNKNOWN_PARAM',
      `partition: "${name}" (shape [${like.shape.join(', ')}]) matches no group and there is no default transformation.`,
    );
  };
  const split = (tensors: Params, params?: Params): Params[] => {
    const parts: Params[] = transforms.map(() => ({}));
    for (const [name, t] of Object.entries(tensors)) {
      (parts[route(name, params?.[name] ?? t)] as Params)[name] = t;
    }
    return parts;
  };

  return checkedTransformation('partition', {
    init(params: Params): TransformState {
      const parts = split(params);
      return makeState({ inner: transforms.map((t, i) => t.init(parts[i] as Params)) });
    },
    update(updates: Params, state: TransformState, params?: Params) {
      const parts = split(updates, params); // routes (and may throw) before any group runs
      const next: Params = {};
      const inner = transforms.map((t, i) => {
        const previous = state.inner[i] ?? t.init({});
        const part = parts[i] as Params;
        if (Object.keys(part).length === 0) return previous;
        const subset = params ? pick(params, part) : undefined;
        const result = t.update(part, previous, subset);
        Object.assign(next, result.updates);
        return result.state;
      });
      const ordered: Params = {};
      for (const name of Object.keys(updates)) ordered[name] = next[name] as tf.Tensor;
      return { updates: ordered, state: makeState({ inner }) };
    },
  });
}

interface MatchContext {
  name: string;
  param: tf.Tensor;
  info: () => ParamInfo;
}

function toMatcher(what: string, match: PartitionMatch): (c: MatchContext) => boolean {
  if (typeof match === 'string') return (c) => c.name === match;
  if (match instanceof RegExp) {
    const re = new RegExp(match.source, match.flags.replace(/[gy]/g, ''));
    return (c) => re.test(c.name);
  }
  if (Array.isArray(match)) {
    for (const [i, n] of match.entries()) {
      if (typeof n !== 'string') {
        throw new DescentError(
          'BAD_ARGUMENT',
          `partition: ${what}[${i}] must be a name (string), got ${typeof n}.`,
        );
      }
    }
    const names = new Set<string>(match);
    return (c) => names.has(c.name);
  }
  if (typeof match === 'function') {
    return (c) => {
      const answer = match(c.name, c.param);
      if (typeof answer !== 'boolean') {
        throw new DescentError(
          'BAD_ARGUMENT',
          `partition: the predicate of ${what} returned ${String(answer)} for "${c.name}"; it must return a boolean.`,
        );
      }
      return answer;
    };
  }
  if (typeof match === 'object' && match !== null && 'role' in match) {
    const roles: readonly unknown[] = Array.isArray(match.role) ? match.role : [match.role];
    for (const role of roles) {
      if (!PARAM_ROLES.includes(role as ParamRole)) {
        throw new DescentError(
          'BAD_ARGUMENT',
          `partition: ${what}.role has unknown role ${JSON.stringify(role)}; roles: ${PARAM_ROLES.join(', ')}.`,
        );
      }
    }
    return (c) => roles.includes(c.info().role);
  }
  throw new DescentError(
    'BAD_ARGUMENT',
    `partition: ${what} must be a name, an array of names, a RegExp, a predicate or { role }, got ${describeValue(match)}.`,
  );
}

function checkTransform(what: string, t: unknown): void {
  checkTransformation(`partition: ${what}`, t);
}

function pick(params: Params, names: Params): Params {
  const out: Params = {};
  for (const name of Object.keys(names)) {
    const p = params[name];
    if (p) out[name] = p;
  }
  return out;
}
