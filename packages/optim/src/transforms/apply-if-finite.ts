import * as tf from '@tensorflow/tfjs-core';
import { checkNumber, type Params, checkOptions } from '@descent/core';
import { checkedTransformation } from '../transform/check-update';
import { checkTransformation } from '../transform/check-transformation';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { tensorSlot } from '../transform/per-parameter';
import { makeState, type SlotValue, type TransformState } from '../transform/transform-state';

/** Options of {@link applyIfFinite}. */
export interface ApplyIfFiniteOptions {
  /**
   * After more than this many consecutive non-finite steps, the update is applied anyway (NaN
   * included), as optax does, so that a run that diverged for good shows it. An integer ≥ 0, or
   * `Infinity` to skip for ever (torch's `GradScaler`). Default `Infinity`.
   */
  maxConsecutiveErrors?: number;
}

/** The slots this transformation adds to each parameter. */
const SKIPPED = 'skipped';
const CONSECUTIVE = 'consecutive';

/**
 * Skips steps whose updates hold NaN or ±Infinity (optax's `apply_if_finite`; mixed-precision
 * loss scaling's "skip the step"): such a step emits **zero** updates and leaves the tensors of
 * `inner`'s state as they were.
 *
 * This is the opt-in protection against non-finite gradients: without it, descent reads no
 * gradient back, and a NaN stays in its own element (see the README's "Non-finite gradients").
 *
 * ```
 * ok  = all(isFinite(u))                       (over every update of this call, on the device)
 * c   ← ok ? 0 : c + 1,   s ← s + (ok ? 0 : 1)
 * go  = ok ∨ c > maxConsecutiveErrors
 * u'  , S' = inner.update(u, S)
 * u   ← go ? u' : 0,      S ← go ? S' : S      (tensor by tensor, with tf.where)
 * ```
 *
 * **No read-back.** Branching on `ok` in JavaScript would need a synchronous device read (a GPU
 * stall, and `dataSync` fails for WebGPU in Node), so the choice is made on the device instead:
 * `inner` always runs, and every update and every **tensor** of its new state is selected against
 * the old one with `tf.where` on the scalar `ok`. This costs one inner step's compute on a
 * skipped step and never blocks. The catch: **numbers** in `inner`'s state (update counts that
 * drive schedules, Adam's per-parameter step `t`) live in JavaScript and still advance on a
 * skipped step — for Adam, moments stay untouched but the next bias correction uses `t + 1`. For
 * the same reason the skip counters are tensors, not numbers: per parameter, scalar slots
 * `skipped` (steps skipped in all) and `consecutive` (the current run of non-finite steps); read
 * them with `await t.data()` (they appear in `getWeights()` as `<variable>/skipped` and
 * `<variable>/consecutive`). Each parameter counts the steps it took part in; when all take part
 * every step, all hold optax's `total_notfinite` and `notfinite_count`.
 *
 * A parameter seen for the first time in a skipped step gets `inner`'s initial slots (from
 * `inner.init`), as if it had not been seen. State: `inner[0]` is `inner`'s state.
 *
 * Default `maxConsecutiveErrors`: `Infinity` (optax has no default). Frameworks: optax selects with
 * `lax.cond` inside a compiled step, so its counts stay exact; torch's `GradScaler` and Keras'
 * `LossScaleOptimizer` read finiteness back and do not run the step at all (Adam's `t` does not
 * advance). Reference: Micikevicius et al., 2018, "Mixed Precision Training".
 *
 * @throws DescentError `UNKNOWN_PARAM` for an unknown option, `BAD_HYPERPARAM` (or `NON_FINITE`
 *   for NaN, −∞) unless
 *   `maxConsecutiveErrors` is an integer ≥ 0 or `Infinity`; `BAD_ARGUMENT` for a bad `inner`.
 *
 * @example
 * ```ts
 * const opt = fromTransform(applyIfFinite(chain(scaleByAdam(), scaleByLearningRate(1e-3))));
 * ```
 */
export function applyIfFinite(
  inner: GradientTransformation,
  options: ApplyIfFiniteOptions = {},
): GradientTransformation {
  checkOptions('applyIfFinite', options, [
    'maxConsecutiveErrors',
  ] satisfies (keyof ApplyIfFiniteOptions)[]);
  checkTransformation('applyIfFinite: inner', inner);
  const { maxConsecutiveErrors = Number.POSITIVE_INFINITY } = options;
  if (maxConsecutiveErrors !== Number.POSITIVE_INFINITY) {
    checkNumber('maxConsecutiveErrors', maxConsecutiveErrors, { min: 0, integer: true });
  }
  const counters = (): Record<string, SlotValue> => ({
    [SKIPPED]: tf.scalar(0),
    [CONSECUTIVE]: tf.scalar(0),
  });
  return checkedTransformation('applyIfFinite', {
    init(params: Params): TransformState {
      const slots: Record<string, Record<string, SlotValue>> = {};
      for (const name of Object.keys(params)) slots[name] = counters();
      return makeState({ slots, inner: [inner.init(params)] });
    },
    update(updates: Params, state: TransformState, params?: Params) {
      const names = Object.keys(updates);
      const old = state.inner[0] ?? inner.init({});
      if (names.length === 0) {
        return { updates: {}, state: makeState({ slots: state.slots, inner: [old] }) };
      }
      const finite = allFinite(Object.values(updates));
      const bad = tf.cast(tf.logicalNot(finite), 'float32');
      const slots: Record<string, Readonly<Record<string, SlotValue>>> = { ...state.slots };
      const go: Record<string, tf.Tensor> = {};
      for (const name of names) {
        const previous = state.slots[name];
        const consecutive = previous
          ? tf.mul(tf.add(tensorSlot(previous, CONSECUTIVE), 1), bad)
          : tf.add(bad, 0);
        const skipped = previous ? tf.add(tensorSlot(previous, SKIPPED), bad) : tf.add(bad, 0);
        slots[name] = { [SKIPPED]: skipped, [CONSECUTIVE]: consecutive };
        go[name] =
          maxConsecutiveErrors === Number.POSITIVE_INFINITY
            ? finite
            : tf.logicalOr(finite, tf.greater(consecutive, maxConsecutiveErrors));
      }
      // The state a skipped step keeps: the old one, plus initial slots for parameters it lacks.
      const known = stateParams(old);
      const fresh: Params = {};
      for (const name of names) {
        if (!known.has(name)) fresh[name] = params?.[name] ?? (updates[name] as tf.Tensor);
      }
      const initial = Object.keys(fresh).length > 0 ? inner.init(fresh) : undefined;
      const result = inner.update(updates, old, params);
      const next: Params = {};
      for (const name of names) {
        const u = result.updates[name];
        const g = go[name] as tf.Tensor;
        next[name] = u ? tf.where(g, u, tf.zerosLike(u)) : tf.zerosLike(updates[name] as tf.Tensor);
      }
      const innerState = select(result.state, old, initial, (param) => go[param] ?? finite);
      return { updates: next, state: makeState({ slots, inner: [innerState] }) };
    },
  });
}

/** A bool scalar: whether every element of every tensor is finite (empty tensors are). */
function allFinite(tensors: tf.Tensor[]): tf.Tensor {
  // Reductions over empty tensors are wrong on cpu and fail on webgpu: leave them out.
  const flags = tensors.filter((t) => t.size > 0).map((t) => tf.all(tf.isFinite(t)));
  if (flags.length === 0) return tf.scalar(true, 'bool');
  if (flags.length === 1) return flags[0] as tf.Tensor;
  // `stack` (not `addN`-like ops): webgpu binds every input of a multi-input kernel at once.
  return tf.all(tf.stack(flags));
}

/** Names of the parameters that have slots anywhere in a state. */
function stateParams(state: TransformState, into: Set<string> = new Set()): Set<string> {
  for (const name of Object.keys(state.slots)) into.add(name);
  for (const child of state.inner) stateParams(child, into);
  return into;
}

/**
 * `next` with every tensor slot that changed replaced by `where(go(param), next, before)`, where
 * `before` is the same slot of `old` (or of `initial` for a parameter `old` lacks). Numbers and
 * slots with no counterpart keep `next`'s value.
 */
function select(
  next: TransformState,
  old: TransformState | undefined,
  initial: TransformState | undefined,
  go: (param: string) => tf.Tensor,
): TransformState {
  const slots: Record<string, Readonly<Record<string, SlotValue>>> = {};
  for (const [param, values] of Object.entries(next.slots)) {
    const before = old?.slots[param] ?? initial?.slots[param];
    if (!before) {
      slots[param] = values;
      continue;
    }
    const chosen: Record<string, SlotValue> = {};
    for (const [key, value] of Object.entries(values)) {
      const prior = before[key];
      chosen[key] =
        typeof value === 'number' ||
        prior === undefined ||
        typeof prior === 'number' ||
        prior === value ||
        prior.dtype !== value.dtype ||
        prior.shape.join() !== value.shape.join()
          ? value
          : tf.where(go(param), value, prior);
    }
    slots[param] = chosen;
  }
  const inner = next.inner.map((child, i) => select(child, old?.inner[i], initial?.inner[i], go));
  return makeState({ slots, scalars: next.scalars, inner });
}
