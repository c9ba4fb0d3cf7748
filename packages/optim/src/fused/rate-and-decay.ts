import { type HyperParameter, hyperValue } from '@descent/core';
import type { ChainLayout } from '../transform/named-chain';

/** The learning rate and weight decay of this step, each at its own chain element's count (decay 0 without a `weightDecay` element). */
export function rateAndDecay(
  options: { learningRate: HyperParameter; weightDecay: HyperParameter },
  layout: ChainLayout,
  count: (name: string) => number,
): { lr: number; wd: number } {
  return {
    lr: hyperValue('learningRate', options.learningRate, count('learningRate'), { min: 0 }),
    wd:
      layout.weightDecay === undefined
        ? 0
        : hyperValue('weightDecay', options.weightDecay, count('weightDecay'), { min: 0 }),
  };
}
