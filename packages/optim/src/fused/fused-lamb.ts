import type { ChainLayout } from '../transform/named-chain';
import { rateAndDecay } from './chain-layout';
import type { HyperParameter } from '@descent/core';
import { type DecayMask, isDecayed } from '../transforms/add-decayed-weights';
import { beta1At } from '../transforms/adam-moments';
import { adamMoments, MOMENT_UNIFORMS, momentUniforms } from './adam-terms';
import type { FusedStep } from './fused-step';
import { type OptimizerKernel, optimizerKernel } from './optimizer-kernel';
import { trustRatioApplyKernel, trustRatioStep } from './trust-ratio-step';

/**
 * LAMB's first phase in place: the Adam moments and the direction
 * `d = (m'/bc1)/(√(v'/bc2) + ε) + decay·p` into the scratch slot `d`.
 */
export const lambDirectionKernel: OptimizerKernel = optimizerKernel({
  name: 'lambDirection',
  slots: ['m', 'v', 'd'],
  uniforms: [...MOMENT_UNIFORMS, 'eps', 'bc1', 'bc2', 'decay'],
  movesParam: false,
  update: (r, o) => {
    const { m, v } = adamMoments(r, o, r.g!);
    const adam = o.div(o.div(m, r.bc1!), o.add(o.sqrt(o.div(v, r.bc2!)), r.eps!));
    return { m, v, d: o.add(adam, o.mul(r.p!, r.decay!)) };
  },
});

/** Options of {@link fusedLamb}: the resolved options of a `lamb` optimizer. */
export interface FusedLambOptions {
  learningRate: HyperParameter;
  beta1: HyperParameter;
  beta2: number;
  epsilon: number;
  weightDecay: HyperParameter;
  weightDecayMask?: DecayMask;
}

/**
 * LAMB (`chain(scaleByAdam, addDecayedWeights?, scaleByTrustRatio, scaleByLearningRate)`) as two
 * in-place kernels per variable and one on-device reduction of `‖p‖²` and `‖d‖²` between them.
 */
export function fusedLamb(options: FusedLambOptions, layout: ChainLayout): FusedStep {
  return trustRatioStep({
    direction: lambDirectionKernel,
    apply: () => trustRatioApplyKernel,
    layout,
    slotsAt: 'rule',
    stateless: ['trust'],
    constants: (count) => ({
      ...rateAndDecay(options, layout, count),
      b1: beta1At(options.beta1, count('rule')),
    }),
    plan: (key, p, previous, { lr, b1, wd }) => {
      const t = ((previous?.step as number | undefined) ?? 0) + 1;
      const decayed = wd !== 0 && isDecayed(options.weightDecayMask, key, p);
      return {
        direction: {
          ...momentUniforms(b1, options.beta2),
          eps: options.epsilon,
          bc1: 1 - b1 ** t,
          bc2: 1 - options.beta2 ** t,
          decay: decayed ? wd : 0,
        },
        apply: { lr, trust: 1, coef: 1, eps: 0, minNorm: 0 },
        numbers: { step: t },
      };
    },
  });
}
