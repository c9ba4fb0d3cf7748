import * as tf from '@tensorflow/tfjs-core';
import { type HyperParameter, hyperValue } from '@descent/core';
import { type DecayMask, isDecayed } from '../transforms/add-decayed-weights';
import { fusedPerParameter, type PreviousSlots } from './fused-per-parameter';
import type { FusedStep } from './fused-step';
import { type OptimizerKernel, optimizerKernel, type RuleRefs } from './optimizer-kernel';
import type { Ops } from '@descent/core';

const UNIFORMS = ['lr', 'b1', 'omb1', 'b2', 'omb2', 'eps', 'ibc1', 'isbc2', 'l2', 'decay'] as const;

/** `g' = g + l2·p`, `m' = b1·m + (1 − b1)·g'`, `v' = b2·v + (1 − b2)·g'²`. */
function moments(r: RuleRefs, o: Ops) {
  const g = o.add(r.g!, o.mul(r.p!, r.l2!));
  return {
    m: o.add(o.mul(r.m!, r.b1!), o.mul(g, r.omb1!)),
    v: o.add(o.mul(r.v!, r.b2!), o.mul(o.mul(g, g), r.omb2!)),
  };
}

/**
 * `u = −lr·((m'/bc1)/(√den/√bc2 + ε) + decay·p)`, written as torch does: one square root and one
 * division per element, with `ibc1 = 1/bc1` and `isbc2 = 1/√bc2` computed once in JavaScript.
 */
function adamUpdate(r: RuleRefs, o: Ops, m: RuleRefs[string], den: RuleRefs[string]) {
  const direction = o.div(o.mul(m!, r.ibc1!), o.add(o.mul(o.sqrt(den!), r.isbc2!), r.eps!));
  return o.mul(o.add(direction, o.mul(r.p!, r.decay!)), o.neg(r.lr!));
}

type U = Record<string, number>;
function referenceMoments(p: tf.Tensor, g0: tf.Tensor, m: tf.Tensor, v: tf.Tensor, u: U) {
  const g = tf.add(g0, tf.mul(p, u.l2!));
  return {
    m: tf.add(tf.mul(m, u.b1!), tf.mul(g, u.omb1!)),
    v: tf.add(tf.mul(v, u.b2!), tf.mul(tf.square(g), u.omb2!)),
  };
}
function referenceUpdate(p: tf.Tensor, m: tf.Tensor, den: tf.Tensor, u: U) {
  const direction = tf.div(tf.mul(m, u.ibc1!), tf.add(tf.mul(tf.sqrt(den), u.isbc2!), u.eps!));
  return tf.mul(tf.add(direction, tf.mul(p, u.decay!)), -u.lr!);
}

/** One Adam / AdamW step (torch.optim's algorithm) on one variable, in place. */
export const adamKernel: OptimizerKernel = optimizerKernel({
  name: 'adamStep',
  slots: ['m', 'v'],
  uniforms: UNIFORMS,
  update: (r, o) => {
    const { m, v } = moments(r, o);
    return { update: adamUpdate(r, o, m, v), m, v };
  },
  reference: ({ p, g, slots, uniforms }) => {
    const { m, v } = referenceMoments(p, g, slots.m!, slots.v!, uniforms);
    return { update: referenceUpdate(p, m, v, uniforms), m, v };
  },
});

/** One AMSGrad step: as {@link adamKernel}, dividing by the running maximum `vmax` of `v`. */
export const amsgradKernel: OptimizerKernel = optimizerKernel({
  name: 'amsgradStep',
  slots: ['m', 'v', 'vmax'],
  uniforms: UNIFORMS,
  update: (r, o) => {
    const { m, v } = moments(r, o);
    const vmax = o.max(r.vmax!, v);
    return { update: adamUpdate(r, o, m, vmax), m, v, vmax };
  },
  reference: ({ p, g, slots, uniforms }) => {
    const { m, v } = referenceMoments(p, g, slots.m!, slots.v!, uniforms);
    const vmax = tf.maximum(slots.vmax!, v);
    return { update: referenceUpdate(p, m, vmax, uniforms), m, v, vmax };
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
 * Where the pieces of the optimizer's `chain(...)` sit in its state (`state.inner[i]`): the
 * fused step advances exactly the counters and slots the chain would.
 */
export interface AdamChainLayout {
  adam: number;
  learningRate: number;
  /** `addL2Gradient` (Adam with weightDecay) or `addDecayedWeights` (AdamW), if in the chain. */
  weightDecay?: number;
}

const BETA = { min: 0, max: 1, maxExclusive: true } as const;

/**
 * Adam and AdamW as one in-place kernel per variable (WASM-SIMD or WebGPU): `p`, `m`, `v` (and
 * `vmax`) are read and written once; the bias corrections `1 − β₁ᵗ`, `1 − β₂ᵗ` are computed per
 * variable in JavaScript from its own step count and passed as uniforms with the learning rate,
 * `β₁` and the decay at this step (schedules never recompile anything).
 */
export function fusedAdam(options: FusedAdamOptions, layout: AdamChainLayout): FusedStep {
  return fusedPerParameter({
    kernel: options.amsgrad ? amsgradKernel : adamKernel,
    slotsAt: layout.adam,
    constants: (count) => ({
      lr: hyperValue('learningRate', options.learningRate, count(layout.learningRate), { min: 0 }),
      b1: hyperValue('beta1', options.beta1, count(layout.adam), BETA),
      wd:
        layout.weightDecay === undefined
          ? 0
          : hyperValue('weightDecay', options.weightDecay, count(layout.weightDecay), { min: 0 }),
    }),
    plan: (key, p, previous: PreviousSlots, { lr, b1, wd }) => {
      const t = ((previous?.step as number | undefined) ?? 0) + 1;
      const decayed = options.decoupled && wd !== 0 && isDecayed(options.mask, key, p);
      return {
        uniforms: {
          lr,
          b1,
          omb1: 1 - b1,
          b2: options.beta2,
          omb2: 1 - options.beta2,
          eps: options.epsilon,
          ibc1: 1 / (1 - b1 ** t),
          isbc2: 1 / Math.sqrt(1 - options.beta2 ** t),
          l2: options.decoupled ? 0 : wd,
          decay: decayed ? wd : 0,
        },
        numbers: { step: t },
      };
    },
  });
}
