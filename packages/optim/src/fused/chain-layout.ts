import { type HyperParameter, hyperValue } from '@descent/core';

/**
 * Where an optimizer's pieces sit in its `chain(...)` state (`state.inner[i]`): its per-parameter
 * rule, the learning rate and, if any, the weight-decay element.
 */
export interface ChainLayout {
  rule: number;
  learningRate: number;
  weightDecay?: number;
}

/**
 * The layout of `chain(...withWeightDecay(rule, λ, { decoupled }), scaleByLearningRate(η))`:
 * `[rule, η]` without decay, `[addL2Gradient, rule, η]` coupled, `[rule, addDecayedWeights, η]`
 * decoupled.
 */
export function weightDecayLayout(weightDecay: HyperParameter, decoupled: boolean): ChainLayout {
  if (weightDecay === 0) return { rule: 0, learningRate: 1 };
  return decoupled
    ? { rule: 0, weightDecay: 1, learningRate: 2 }
    : { weightDecay: 0, rule: 1, learningRate: 2 };
}

/** The learning rate and weight decay of this step, each at its own chain element's count. */
export function rateAndDecay(
  options: { learningRate: HyperParameter; weightDecay: HyperParameter },
  layout: ChainLayout,
  count: (index: number | undefined) => number,
): { lr: number; wd: number } {
  return {
    lr: hyperValue('learningRate', options.learningRate, count(layout.learningRate), { min: 0 }),
    wd:
      layout.weightDecay === undefined
        ? 0
        : hyperValue('weightDecay', options.weightDecay, count(layout.weightDecay), { min: 0 }),
  };
}
