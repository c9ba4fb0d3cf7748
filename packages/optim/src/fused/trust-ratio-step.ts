import * as tf from '@tensorflow/tfjs-core';
import { type Ops, type Params, sameShape, type ValueExpr } from '@descent/core';
import type { SlotValue, TransformState } from '../transform/transform-state';
import { type ChainLayout, elementState } from '../transform/named-chain';
import { advanceChain, elementCount } from './chain-counters';
import { preprocessingOf } from './fused-per-parameter';
import type { PreviousSlots } from './per-parameter-plan';
import type { FusedStep } from './fused-step';
import { type OptimizerKernel, optimizerKernel, type RuleRefs } from './optimizer-kernel';
import { slotVariable } from './state-variable';

/** Uniforms of the trust ratio (`scaleByTrustRatio`): `trust` (1, or 0 where its mask exempts), `coef`, `eps`, `minNorm`. */
export const TRUST_UNIFORMS = ['trust', 'coef', 'eps', 'minNorm'] as const;

/**
 * `d·ratio` with `ratio = coef·max(‖p‖, minNorm)/(max(‖d‖, minNorm) + eps)`, or 1 where either
 * norm is 0 or the parameter is exempt; `pn2 = ‖p‖²` and `dn2 = ‖d‖²` are device scalars.
 */
export function trustScaled(r: RuleRefs, o: Ops): ValueExpr {
  const pn = o.max(o.sqrt(r.pn2!), r.minNorm!);
  const dn = o.max(o.sqrt(r.dn2!), r.minNorm!);
  const ratio = o.div(o.mul(pn, r.coef!), o.add(dn, r.eps!));
  const safe = o.select(o.gt(pn, 0), o.select(o.gt(dn, 0), ratio, 1), 1);
  return o.mul(r.d!, o.select(o.gt(r.trust!, 0.5), safe, 1));
}

/** The second phase of LAMB (and of LARS without momentum): `u = −lr·ratio·d` (see {@link trustScaled}). */
export const trustRatioApplyKernel: OptimizerKernel = optimizerKernel({
  name: 'trustRatioApply',
  slots: [],
  inputs: ['d'],
  scalars: ['pn2', 'dn2'],
  uniforms: ['lr', ...TRUST_UNIFORMS],
  readsGradient: false,
  update: (r, o) => ({ update: o.mul(trustScaled(r, o), o.neg(r.lr!)) }),
});

/** Both phases' uniforms and the number slots of one variable. */
export interface TrustRatioPlan {
  direction: Record<string, number>;
  apply: Record<string, number>;
  numbers?: Record<string, number>;
}

/** How a trust-ratio optimizer (LAMB, LARS) maps onto two kernels per variable. */
export interface TrustRatioStepOptions<C> {
  /** Phase 1: writes the unscaled direction into the scratch slot `d` (and its own state slots). */
  direction: OptimizerKernel;
  /** Phase 2: reads `d` and the norms `pn2`, `dn2`, moves `p` (and its own state slots). */
  apply: (constants: C) => OptimizerKernel;
  /** Where each element of the optimizer's named chain keeps its state. */
  layout: ChainLayout;
  /** The chain element whose per-parameter slots the kernels keep. */
  slotsAt: string;
  /** Chain elements whose state a step leaves as it is (stateless pass-throughs). */
  stateless: readonly string[];
  constants(count: (element: string) => number): C;
  plan(key: string, p: tf.Variable, previous: PreviousSlots, constants: C): TrustRatioPlan;
}

/**
 * LAMB and LARS as two in-place kernels per variable with one reduction between them:
 * the first writes the update direction `d` into a scratch buffer the step keeps (one per
 * variable, as large as the variable), `‖p‖²` and `‖d‖²` are summed on the device by tfjs, and the
 * second scales `d` by the trust ratio read from those device scalars and moves `p`. Nothing is
 * read back to JavaScript; the scratch buffers are freed by `dispose()`.
 */
export function trustRatioStep<C>(options: TrustRatioStepOptions<C>): FusedStep {
  const scratch = new Map<string, tf.Variable>();
  const scratchFor = (key: string, p: tf.Variable) => {
    let d = scratch.get(key);
    if (!d || d.isDisposed || !sameShape(d.shape, p.shape)) {
      d?.dispose();
      d = slotVariable(undefined, p);
      scratch.set(key, d);
    }
    return d;
  };
  return {
    path: () => options.direction.path(),
    run(state: TransformState, grads: Params, params: Record<string, tf.Variable>, prep = {}) {
      const constants = options.constants((name) => elementCount(state, options.layout, name));
      const apply = options.apply(constants);
      const own = elementState(state, options.layout, options.slotsAt);
      const plans = Object.keys(grads).map((key) => {
        const p = params[key] as tf.Variable;
        return { key, p, plan: options.plan(key, p, own?.slots[key], constants) };
      });
      const slots: Record<string, Readonly<Record<string, SlotValue>>> = { ...own?.slots };
      for (const { key, p, plan } of plans) {
        const previous = own?.slots[key];
        const stateSlot = (name: string) => slotVariable(previous?.[name], p);
        const { gscale, mask } = preprocessingOf(prep, key);
        const d = scratchFor(key, p);
        const directionSlots = Object.fromEntries(
          options.direction.rule.slots.map((n) => [n, n === 'd' ? d : stateSlot(n)]),
        );
        options.direction.run({
          p,
          g: grads[key] as tf.Tensor,
          slots: directionSlots,
          uniforms: plan.direction,
          ...(gscale === undefined ? {} : { gscale }),
        });
        const [pn2, dn2] = tf.tidy(() => [tf.sum(tf.square(p)), tf.sum(tf.square(d))]);
        const applySlots = Object.fromEntries(apply.rule.slots.map((n) => [n, stateSlot(n)]));
        apply.run({
          p,
          slots: applySlots,
          inputs: { d },
          scalars: { pn2: pn2 as tf.Tensor, dn2: dn2 as tf.Tensor },
          uniforms: plan.apply,
          ...(mask === undefined ? {} : { mask }),
        });
        tf.dispose([pn2 as tf.Tensor, dn2 as tf.Tensor]);
        const { d: _scratch, ...kept } = directionSlots;
        slots[key] = { ...kept, ...applySlots, ...plan.numbers };
      }
      return advanceChain(state, options.layout, options.slotsAt, slots, options.stateless);
    },
    dispose() {
      for (const d of scratch.values()) d.dispose();
      scratch.clear();
    },
  };
}
