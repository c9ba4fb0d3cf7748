import * as tf from '@tensorflow/tfjs-core';
import {
  checkNumber,
  DescentError,
  formatShape,
  type Params,
  checkOptions,
  sameShape,
} from '@descent/core';
import { checkedTransformation } from '../transform/check-update';
import { checkTransformation } from '../transform/check-transformation';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { numberSlot, tensorSlot } from '../transform/per-parameter';
import { makeState, type SlotValue, type TransformState } from '../transform/transform-state';

/** Options of {@link multiSteps}. */
export interface MultiStepsOptions {
  /** `k` ≥ 1: how many gradients make one step of the inner transformation. */
  everyK: number;
}

/**
 * Gradient accumulation (optax's `MultiSteps`; survey §5.4, large-batch training on small
 * memory): accumulates `k` updates per parameter and runs `inner` on their **mean** every `k`-th
 * one, emitting zero updates in between — `k` steps of batch `B` act as one step of batch `k·B`.
 *
 * ```
 * a ← a + g                                   (every call; a starts at 0)
 * n ← n + 1
 * if n = k:  u ← inner(a / k),  a ← 0, n ← 0   (inner state advances only here)
 * else:      u ← 0
 * ```
 *
 * State: per parameter, slots `acc` (the running sum `a`) and `miniStep` (`n`); scalars `count`
 * (calls so far) and `gradientStep` (calls in which `inner` ran); `inner[0]` is `inner`'s state.
 * Each parameter counts its own mini-steps, so updating a subset of parameters never mixes
 * windows; when every parameter comes every call (`model.fit`), all emit together every `k`
 * calls, exactly as optax (which keeps one global `mini_step`). The mean is taken as sum / k
 * (optax keeps a running mean; equal up to rounding).
 *
 * Wrap the whole chain, learning rate included: `multiSteps(chain(scaleByAdam(), scaleByLearningRate(η)), { everyK: 4 })`.
 * To skip non-finite gradients, put {@link applyIfFinite} **inside** (around the chain):
 * the mini-step counters are numbers, which a skipped step still advances.
 *
 * Frameworks: Keras 3's `gradient_accumulation_steps` and optax average the gradients; so does
 * the usual PyTorch loop that divides the loss by `k`.
 *
 * @throws DescentError `BAD_ARGUMENT` when `options` is no plain object or `inner` is bad,
 *   `UNKNOWN_PARAM` for an unknown option, `BAD_HYPERPARAM`/`NON_FINITE` for a bad `everyK`.
 *
 * @example
 * ```ts
 * const opt = fromTransform(multiSteps(chain(scaleByAdam(), scaleByLearningRate(1e-3)), { everyK: 4 }));
 * ```
 */
export function multiSteps(
  inner: GradientTransformation,
  options: MultiStepsOptions,
): GradientTransformation {
  checkOptions('multiSteps', options, ['everyK'] satisfies (keyof MultiStepsOptions)[]);
  checkTransformation('multiSteps: inner', inner);
  const everyK = options.everyK;
  checkNumber('everyK', everyK, { min: 1, integer: true });
  return checkedTransformation('multiSteps', {
    init(params: Params): TransformState {
      const slots: Record<string, Record<string, SlotValue>> = {};
      for (const [name, p] of Object.entries(params)) {
        slots[name] = { acc: tf.zerosLike(p), miniStep: 0 };
      }
      return makeState({
        slots,
        scalars: { count: 0, gradientStep: 0 },
        inner: [inner.init(params)],
      });
    },
    update(updates: Params, state: TransformState, params?: Params) {
      for (const [name, g] of Object.entries(updates)) {
        const previous = state.slots[name];
        if (previous) checkAccumulator(name, g, previous);
      }
      const slots: Record<string, Readonly<Record<string, SlotValue>>> = { ...state.slots };
      const ready: Params = {};
      const next: Params = {};
      for (const [name, g] of Object.entries(updates)) {
        const previous = state.slots[name];
        const n = previous ? numberSlot(previous, 'miniStep') + 1 : 1;
        const sum = previous ? tf.add(tensorSlot(previous, 'acc'), g) : tf.add(g, 0);
        if (n === everyK) {
          ready[name] = everyK === 1 ? sum : tf.div(sum, everyK);
          slots[name] = { acc: tf.zerosLike(g), miniStep: 0 };
        } else {
          next[name] = tf.zerosLike(g);
          slots[name] = { acc: sum, miniStep: n };
        }
      }
      let innerState = state.inner[0] ?? inner.init({});
      let gradientStep = state.scalars.gradientStep ?? 0;
      if (Object.keys(ready).length > 0) {
        let subset: Params | undefined;
        if (params) {
          subset = {};
          for (const name of Object.keys(ready)) if (params[name]) subset[name] = params[name];
        }
        const result = inner.update(ready, innerState, subset);
        Object.assign(next, result.updates);
        innerState = result.state;
        gradientStep += 1;
      }
      const ordered: Params = {};
      for (const name of Object.keys(updates)) ordered[name] = next[name] as tf.Tensor;
      return {
        updates: ordered,
        state: makeState({
          slots,
          scalars: { count: (state.scalars.count ?? 0) + 1, gradientStep },
          inner: [innerState],
        }),
      };
    },
  });
}

/** An accumulator of another shape than its update would be broadcast silently: refuse it. */
function checkAccumulator(
  name: string,
  update: tf.Tensor,
  slots: Readonly<Record<string, SlotValue>>,
): void {
  const acc = tensorSlot(slots, 'acc');
  if (!sameShape(acc.shape, update.shape)) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `updates["${name}"] (multiSteps) has shape ${formatShape(update.shape)}, but its state slot "acc" has shape ${formatShape(acc.shape)}.`,
    );
  }
}
