import type { HyperParameter, Ops, ValueExpr } from '@descent/core';
import { type DecayMask, isDecayed } from '../transforms/add-decayed-weights';
import { fusedPerParameter } from './fused-per-parameter';
import type { PreviousSlots } from './per-parameter-plan';
import { beta1At } from '../transforms/adam-moments';
import type { ChainLayout } from '../transform/named-chain';
import { rateAndDecay } from './chain-layout';
import { adamMoments, MOMENT_UNIFORMS, momentUniforms } from './adam-terms';
import {
  DECAY_UNIFORMS,
  DECAY_ZEROABLE,
  decayedStep,
  decayUniforms,
  l2Gradient,
} from './decay-terms';
import type { FusedStep } from './fused-step';
import { type OptimizerKernel, optimizerKernel, type RuleRefs } from './optimizer-kernel';

const UNIFORMS = [...DECAY_UNIFORMS, ...MOMENT_UNIFORMS, 'eps', 'ibc1', 'isbc2'];

/**
 * Adam's direction `(m'/bc1)/(√den/√bc2 + ε)`, written as torch does: one square root and one
 * division per element, with `ibc1 = 1/bc1` and `isbc2 = 1/√bc2` computed once in JavaScript.
 */
function direction(r: RuleRefs, o: Ops, m: ValueExpr, den: ValueExpr): ValueExpr {
  return o.div(o.mul(m, r.ibc1!), o.add(o.mul(o.sqrt(den), r.isbc2!), r.eps!));
}

/** One Adam / AdamW step (torch.optim's algorithm) on one variable, in place. */
export const adamKernel: OptimizerKernel = optimizerKernel({
  name: 'adamStep',
  slots: ['m', 'v'],
  uniforms: UNIFORMS,
  zeroable: DECAY_ZEROABLE,
  update: (r, o) => {
    const { m, v } = adamMoments(r, o, l2Gradient(r, o));
    return { update: decayedStep(r, o, direction(r, o, m, v)), m, v };
  },
});

/** One AMSGrad step: as {@link adamKernel}, dividing by the running maximum `vmax` of `v`. */
export const amsgradKernel: OptimizerKernel = optimizerKernel({
  name: 'amsgradStep',
  slots: ['m', 'v', 'vmax'],
  uniforms: UNIFORMS,
  zeroable: DECAY_ZEROABLE,
  update: (r, o) => {
    const { m, v } = adamMoments(r, o, l2Gradient(r, o));
    const vmax = o.max(r.vmax!, v);
    return { update: decayedStep(r, o, direction(r, o, m, vmax)), m, v, vmax };
  },
});

/** Options of {@link fusedAdam}: the resolved options of an `adam` or `adamw` optimizer. */
export interface FusedAdamOptions {
  learningRate: HyperParameter;
  beta1: HyperParameter;
  beta2: number;
  epsilon: number;
  amsgrad: boolean;
  weightDecay: HyperParameter;
  /** AdamW's decoupled decay (with its mask) instead of Adam's L2 gradient term. */
  decoupled: boolean;
  mask?: DecayMask;
}

/**
 * Adam and AdamW as one in-place kernel per variable (WASM-SIMD or WebGPU): `p`, `m`, `v` (and
 * `vmax`) are read and written once; the bias corrections `1 − β₁ᵗ`, `1 − β₂ᵗ` are computed per
 * variable in JavaScript from its own step count and passed as uniforms with the learning rate,
 * `β₁` and the decay at this step (schedules never recompile anything).
 */
export function fusedAdam(options: FusedAdamOptions, layout: ChainLayout): FusedStep {
  return fusedPerParameter({
    kernel: options.amsgrad ? amsgradKernel : adamKernel,
    layout,
    slotsAt: 'rule',
    constants: (count) => ({
      ...rateAndDecay(options, layout, count),
      b1: beta1At(options.beta1, count('rule')),
    }),
    plan: (key, p, previous: PreviousSlots, { lr, b1, wd }) => {
      const t = ((previous?.step as number | undefined) ?? 0) + 1;
      const decayed = options.decoupled && wd !== 0 && isDecayed(options.mask, key, p);
      return {
        uniforms: {
          lr,
          ...momentUniforms(b1, options.beta2),
          eps: options.epsilon,
          ibc1: 1 / (1 - b1 ** t),
          isbc2: 1 / Math.sqrt(1 - options.beta2 ** t),
          ...decayUniforms(wd, options.decoupled, decayed),
        },
        numbers: { step: t },
      };
    },
  });
}
