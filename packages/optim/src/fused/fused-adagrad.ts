import type { HyperParameter } from '@descent/core';
import type { ChainLayout } from '../transform/named-chain';
import { rateAndDecay } from './chain-layout';
import {
  DECAY_UNIFORMS,
  DECAY_ZEROABLE,
  decayedStep,
  decayUniforms,
  l2Gradient,
} from './decay-terms';
import { fusedPerParameter } from './fused-per-parameter';
import type { FusedStep } from './fused-step';
import { type OptimizerKernel, optimizerKernel } from './optimizer-kernel';

/**
 * One Adagrad step (torch.optim.Adagrad) in place: `g' = g + l2·p`, `s' = s + g'²`,
 * `u = −lr·(g'/(√s' + ε))/(1 + (t − 1)·δ)`, with `lrdiv = 1 + (t − 1)·δ` a uniform.
 */
export const adagradKernel: OptimizerKernel = optimizerKernel({
  name: 'adagradStep',
  slots: ['sum'],
  uniforms: [...DECAY_UNIFORMS, 'eps', 'lrdiv'],
  zeroable: DECAY_ZEROABLE,
  update: (r, o) => {
    const g = l2Gradient(r, o);
    const sum = o.add(r.sum!, o.mul(g, g));
    return {
      update: decayedStep(r, o, o.div(o.div(g, o.add(o.sqrt(sum), r.eps!)), r.lrdiv!)),
      sum,
    };
  },
});

/** Options of {@link fusedAdagrad}: the resolved options of an `adagrad` optimizer. */
export interface FusedAdagradOptions {
  learningRate: HyperParameter;
  epsilon: number;
  initialAccumulatorValue: number;
  lrDecay: number;
  weightDecay: HyperParameter;
}

/** Adagrad as one in-place kernel per variable, advancing the state of its chain (`sum`, `step`). */
export function fusedAdagrad(options: FusedAdagradOptions, layout: ChainLayout): FusedStep {
  return fusedPerParameter({
    kernel: adagradKernel,
    layout,
    slotsAt: 'rule',
    initial: { sum: options.initialAccumulatorValue },
    constants: (count) => rateAndDecay(options, layout, count),
    plan: (_key, _p, previous, { lr, wd }) => {
      const t = ((previous?.step as number | undefined) ?? 0) + 1;
      return {
        uniforms: {
          lr,
          ...decayUniforms(wd, false),
          eps: options.epsilon,
          lrdiv: 1 + (t - 1) * options.lrDecay,
        },
        numbers: { step: t },
      };
    },
  });
}
