import type * as tf from '@tensorflow/tfjs-core';
import { type HyperParameter, hyperValue, type NumberRange, type Params } from '@descent/core';
import type { SlotValue, TransformState } from '../transform/transform-state';
import { advanceChain, innerCount } from './chain-counters';
import type { FusedStep } from './fused-step';
import { sgdKernel, sgdMomentumKernel } from './sgd-kernels';
import { asStateVariable, zeroStateVariable } from './state-variable';

/** Options of {@link fusedSgd}: the resolved options of an `sgd` optimizer. */
export interface FusedSgdOptions {
  learningRate: HyperParameter;
  momentum: HyperParameter;
  nesterov: boolean;
  dampening: number;
  weightDecay: HyperParameter;
}

/** Where `sgd`'s chain pieces sit in its state: `[addL2Gradient?, scaleByMomentum, scaleByLearningRate]`. */
export interface SgdChainLayout {
  weightDecay?: number;
  momentum: number;
  learningRate: number;
}

/**
 * SGD (plain, heavy-ball or Nesterov, with dampening and L2 decay) as one in-place kernel per
 * variable, advancing the same state as its chain: the momentum buffer `buf` and each variable's
 * `step`; a constant momentum of 0 keeps no buffer at all, as `scaleByMomentum` does.
 */
export function fusedSgd(options: FusedSgdOptions, layout: SgdChainLayout): FusedStep {
  const plain = options.momentum === 0;
  const kernel = plain ? sgdKernel : sgdMomentumKernel;
  const range: NumberRange = options.nesterov
    ? { min: 0, minExclusive: true, max: 1 }
    : { min: 0, max: 1 };
  return {
    path: () => kernel.pathOnActiveBackend(),
    run(state: TransformState, grads: Params, params: Record<string, tf.Variable>): TransformState {
      const count = (i: number | undefined) => innerCount(state, i);
      const lr = hyperValue('learningRate', options.learningRate, count(layout.learningRate), {
        min: 0,
      });
      const l2 =
        layout.weightDecay === undefined
          ? 0
          : hyperValue('weightDecay', options.weightDecay, count(layout.weightDecay), { min: 0 });
      const mu = plain
        ? 0
        : hyperValue('momentum', options.momentum, count(layout.momentum), range);
      const momentumState = state.inner[layout.momentum];
      const slots: Record<string, Readonly<Record<string, SlotValue>>> = {
        ...momentumState?.slots,
      };
      for (const [key, g] of Object.entries(grads)) {
        const p = params[key] as tf.Variable;
        if (plain) {
          sgdKernel({ p }, { g }, { lr, l2 });
          continue;
        }
        const previous = momentumState?.slots[key];
        const t = (previous?.step as number | undefined) ?? 0;
        const buf =
          previous?.buf === undefined
            ? zeroStateVariable(p)
            : asStateVariable(previous.buf as tf.Tensor);
        const first = t === 0;
        sgdMomentumKernel(
          { p, buf },
          { g },
          {
            lr,
            mu,
            keep: first ? 0 : mu,
            scale: first ? 1 : 1 - options.dampening,
            l2,
            nesterov: options.nesterov ? 1 : 0,
          },
        );
        slots[key] = { buf, step: t + 1 };
      }
      // A constant momentum of 0 is a stateless pass-through in the chain: its state stays as is.
      return advanceChain(state, layout.momentum, slots, plain ? layout.momentum : undefined);
    },
  };
}
