import type * as tf from '@tensorflow/tfjs-core';
import type { Params } from '@descent/core';
import type { SlotValue, TransformState } from '../transform/transform-state';
import { elementState } from '../transform/named-chain';
import { advanceChain, elementCount } from './chain-counters';
import { compilePerParameter } from './compiled-per-parameter';
import type { FusedStep, Preprocessing } from './fused-step';
import type { FusedPerParameterOptions, VariablePlan } from './per-parameter-plan';
import { slotVariable } from './state-variable';

/**
 * A {@link FusedStep} for optimizers whose chain is element-wise per parameter: every
 * hyperparameter and every variable's plan is evaluated first (so a bad schedule value throws
 * before anything changes), then one in-place kernel runs per variable, and the chain's state
 * advances exactly as the chain would advance it.
 */
export function fusedPerParameter<C>(options: FusedPerParameterOptions<C>): FusedStep {
  const { kernel } = options;
  return {
    path: () => kernel.path(),
    run(state: TransformState, grads: Params, params: Record<string, tf.Variable>, prep = {}) {
      const constants = options.constants((name) => elementCount(state, options.layout, name));
      const own = elementState(state, options.layout, options.slotsAt);
      const keys = Object.keys(grads);
      // Every plan first: a hyperparameter out of range throws before any variable changes.
      const plans = keys.map((key) =>
        options.plan(key, params[key] as tf.Variable, own?.slots[key], constants),
      );
      const slots: Record<string, Readonly<Record<string, SlotValue>>> = { ...own?.slots };
      const slotNames = kernel.rule.slots;
      const { gscale, masks } = prep;
      for (let k = 0; k < keys.length; k++) {
        const key = keys[k] as string;
        const p = params[key] as tf.Variable;
        const plan = plans[k] as VariablePlan;
        const previous = own?.slots[key];
        const next: Record<string, SlotValue> = {};
        for (const name of slotNames) {
          next[name] = slotVariable(previous?.[name], p, options.initial?.[name] ?? 0);
        }
        kernel.run({
          p,
          g: grads[key] as tf.Tensor,
          slots: next as Record<string, tf.Variable>,
          uniforms: plan.uniforms,
          gscale,
          mask: masks?.[key],
        });
        if (plan.numbers) Object.assign(next, plan.numbers);
        slots[key] = next;
      }
      return advanceChain(state, options.layout, options.slotsAt, slots, options.stateless);
    },
    compile: (state, keys, params, prep) => compilePerParameter(options, state, keys, params, prep),
  };
}

/** The clipping factor and this parameter's mask, as a kernel call takes them. */
export function preprocessingOf(
  prep: Preprocessing,
  key: string,
): { gscale?: tf.Tensor; mask?: tf.Tensor } {
  const mask = prep.masks?.[key];
  return {
    ...(prep.gscale === undefined ? {} : { gscale: prep.gscale }),
    ...(mask === undefined ? {} : { mask }),
  };
}
