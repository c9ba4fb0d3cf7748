import type * as tf from '@tensorflow/tfjs-core';
import { type HyperParameter, hyperValue, type Params } from '@descent/core';
import { type DecayMask, isDecayed } from '../transforms/add-decayed-weights';
import type { SlotValue, TransformState } from '../transform/transform-state';
import { advanceChain, innerCount } from './chain-counters';
import { type AdamUniform, adamKernel, amsgradKernel } from './adam-kernels';
import type { FusedStep } from './fused-step';
import { asStateVariable, zeroStateVariable } from './state-variable';

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
  const kernel = options.amsgrad ? amsgradKernel : adamKernel;
  return {
    path: () => kernel.pathOnActiveBackend(),
    run(state: TransformState, grads: Params, params: Record<string, tf.Variable>): TransformState {
      const count = (i: number | undefined) => innerCount(state, i);
      const lr = hyperValue('learningRate', options.learningRate, count(layout.learningRate), {
        min: 0,
      });
      const b1 = hyperValue('beta1', options.beta1, count(layout.adam), BETA);
      const wd =
        layout.weightDecay === undefined
          ? 0
          : hyperValue('weightDecay', options.weightDecay, count(layout.weightDecay), { min: 0 });
      const adamState = state.inner[layout.adam];
      const plans = Object.entries(grads).map(([key, g]) => {
        const p = params[key] as tf.Variable;
        const decayed = options.decoupled && wd !== 0 && isDecayed(options.mask, key, p);
        const slots = adamState?.slots[key];
        const t = ((slots?.step as number | undefined) ?? 0) + 1;
        const uniforms: Record<AdamUniform, number> = {
          lr,
          b1,
          omb1: 1 - b1,
          b2: options.beta2,
          omb2: 1 - options.beta2,
          eps: options.epsilon,
          bc1: 1 - b1 ** t,
          bc2: 1 - options.beta2 ** t,
          l2: options.decoupled ? 0 : wd,
          decay: decayed ? wd : 0,
        };
        return { key, g, p, slots, t, uniforms };
      });
      const slots: Record<string, Readonly<Record<string, SlotValue>>> = { ...adamState?.slots };
      for (const { key, g, p, slots: previous, t, uniforms } of plans) {
        const slot = (name: string) => {
          const value = previous?.[name];
          return value === undefined ? zeroStateVariable(p) : asStateVariable(value as tf.Tensor);
        };
        const m = slot('m');
        const v = slot('v');
        if (options.amsgrad) {
          const vmax = slot('vmax');
          amsgradKernel({ p, m, v, vmax }, { g }, uniforms);
          slots[key] = { m, v, vmax, step: t };
        } else {
          adamKernel({ p, m, v }, { g }, uniforms);
          slots[key] = { m, v, step: t };
        }
      }
      return advanceChain(state, layout.adam, slots);
    },
  };
}
