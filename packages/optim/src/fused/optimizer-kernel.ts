import type * as tf from '@tensorflow/tfjs-core';
import {
  defineKernel,
  type FusedKernel,
  type KernelBatch,
  type Ops,
  type ValueExpr,
} from '@descent/core';

/** What a rule's update sees: the parameter `p`, the (preprocessed) gradient `g`, its slots, its extra inputs, scalars and uniforms. */
export type RuleRefs = Record<string, ValueExpr>;

/**
 * An optimizer's per-variable update rule, written once in core's expression language: the fused
 * kernels are generated from it, and the tfjs-ops path (cpu, fallbacks) evaluates the same
 * expression. `update` returns the new value of every slot and, for a rule that moves the
 * parameter, `update`: what is **added** to it (`p ← p + u`, the same quantity the `chain(...)`
 * spelling produces). A rule without it only writes its slots, reading `p` (the first phase of
 * LAMB and LARS, whose per-tensor norms come between).
 */
export interface OptimizerRule {
  name: string;
  /** State tensors updated in place (they are `TransformState` slots, or scratch). */
  slots: readonly string[];
  /** Extra read-only tensors shaped like the parameter. */
  inputs?: readonly string[];
  /** One-element tensors read on the device (norms). */
  scalars?: readonly string[];
  uniforms: readonly string[];
  /** Whether the rule reads a gradient `g` (global-norm clipping applies to it). Default true. */
  readsGradient?: boolean;
  /** Whether the rule moves the parameter (returns `update`). Default true. */
  movesParam?: boolean;
  /**
   * Uniforms whose terms the rule leaves out when they are exactly 0 (weight decay, L2): a call
   * whose value is 0 runs a variant generated with the constant 0 in their place, which
   * {@link isZero} lets the rule drop (as the chain has no such element). Default none.
   */
  zeroable?: readonly string[];
  update(r: RuleRefs, o: Ops): Record<string, ValueExpr>;
}

/** Preprocessing of one step: a global-norm clipping factor and a 0/1 update mask. */
export interface Variant {
  /** The gradient is multiplied by a device scalar `gscale` (global-norm clipping). */
  clip: boolean;
  /** The parameter's update is multiplied element-wise by `mask` (pruning masks). */
  mask: boolean;
  /** Bit `k` set: `rule.zeroable[k]` is 0 in every call (see `OptimizerKernel.zeroPattern`). Default 0. */
  zeros?: number;
}

/** True for the constant 0 that a variant puts in place of a zero uniform (see `zeroable`). */
export function isZero(node: ValueExpr | undefined): boolean {
  return node?.kind === 'const' && node.value === 0;
}

/** Buffers of one call of an {@link OptimizerKernel}. */
export interface RuleCall {
  p: tf.Variable;
  g?: tf.Tensor;
  slots: Record<string, tf.Variable>;
  inputs?: Record<string, tf.Tensor>;
  scalars?: Record<string, tf.Tensor>;
  uniforms: Record<string, number>;
  gscale?: tf.Tensor | undefined;
  mask?: tf.Tensor | undefined;
}

/** The kernels of one {@link OptimizerRule}: a variant per preprocessing, generated on first use. */
export interface OptimizerKernel {
  readonly rule: OptimizerRule;
  /** Runs the variant that `call` asks for (by `gscale`, `mask` and zero uniforms), in place; validation errors name the buffers. */
  run(call: RuleCall): void;
  /**
   * The zero pattern of `rows` calls whose uniforms lie row after row in `uniforms` (in
   * `rule.uniforms` order): bit `k` set when `rule.zeroable[k]` is 0 in every row.
   */
  zeroPattern(uniforms: ArrayLike<number>, rows: number): number;
  /**
   * A batch of calls of one variant over fixed rows `[p, ...slots]` (core's `kernel.batch`); each
   * row's reads are, in order, `g`, the rule's inputs, `mask` (variant `mask`), `gscale` (variant
   * `clip`), then the rule's scalars; its uniforms are in `rule.uniforms` order. Slots are
   * internal to the optimizer (no other op reads them).
   */
  batch(rows: readonly (readonly tf.Variable[])[], variant: Variant): KernelBatch;
  /** The path a step would take on the active backend. */
  path(): ReturnType<FusedKernel<string, string, string, string>['pathOnActiveBackend']>;
}

type AnyKernel = FusedKernel<string, string, string, string>;

/**
 * Turns an {@link OptimizerRule} into fused in-place kernels (core's `defineKernel`), one variant
 * for each combination of gradient clipping (`g ← g·gscale`, `gscale` read on the device) and
 * update masking (`p ← p + u·mask`). The variants share the rule, and the preprocessing is part of
 * each variant's expression, so its tfjs-ops path (core's interpreter of that expression) applies
 * it too.
 */
export function optimizerKernel(rule: OptimizerRule): OptimizerKernel {
  const moves = rule.movesParam ?? true;
  const readsGradient = rule.readsGradient ?? true;
  const variants: (AnyKernel | undefined)[] = [];
  const zeroable = rule.zeroable ?? [];
  const variant = (clip: boolean, mask: boolean, zeros: number): AnyKernel => {
    const index = (clip ? 1 : 0) + (mask ? 2 : 0) + 4 * zeros;
    let kernel = variants[index];
    if (!kernel) {
      const zeroNames = zeroable.filter((_, k) => (zeros >> k) & 1);
      const key = [clip ? 'clip' : '', mask ? 'mask' : '', ...zeroNames.map((n) => `no_${n}`)]
        .filter(Boolean)
        .join('.');
      kernel = defineVariant(rule, { clip, mask, zeroNames }, key);
      variants[index] = kernel;
    }
    return kernel;
  };
  const slotNames = rule.slots;
  const inputNames = rule.inputs ?? [];
  const scalarNames = rule.scalars ?? [];
  const uniformNames = rule.uniforms;
  const zeroIndex = zeroable.map((name) => uniformNames.indexOf(name));
  const zeroPattern = (uniforms: ArrayLike<number>, rows: number): number => {
    let zeros = 0;
    zeroIndex.forEach((u, k) => {
      for (let r = 0; r < rows; r++) {
        if (uniforms[r * uniformNames.length + u] !== 0) return;
      }
      zeros |= 1 << k;
    });
    return zeros;
  };
  return {
    rule,
    run(call: RuleCall) {
      const clip = readsGradient && call.gscale !== undefined;
      const mask = moves && call.mask !== undefined;
      // Buffers by position, in the order `defineVariant` declares them.
      const inouts: tf.Variable[] = moves ? [call.p] : [];
      for (const name of slotNames) inouts.push(call.slots[name] as tf.Variable);
      const reads: tf.Tensor[] = moves ? [] : [call.p];
      if (readsGradient) reads.push(call.g as tf.Tensor);
      for (const name of inputNames) reads.push(call.inputs?.[name] as tf.Tensor);
      if (mask) reads.push(call.mask as tf.Tensor);
      if (clip) reads.push(call.gscale as tf.Tensor);
      for (const name of scalarNames) reads.push(call.scalars?.[name] as tf.Tensor);
      const uniforms = uniformNames.map((name) => call.uniforms[name] as number);
      variant(clip, mask, zeroPattern(uniforms, 1)).positional(inouts, reads, uniforms);
    },
    zeroPattern,
    batch: (rows, v) =>
      variant(readsGradient && v.clip, moves && v.mask, v.zeros ?? 0).batch(rows, {
        internal: slotNames,
      }),
    path: () => variant(false, false, 0).pathOnActiveBackend(),
  };
}

function defineVariant(
  rule: OptimizerRule,
  v: { clip: boolean; mask: boolean; zeroNames: readonly string[] },
  key: string,
): AnyKernel {
  const moves = rule.movesParam ?? true;
  const readsGradient = rule.readsGradient ?? true;
  const clip = v.clip && readsGradient;
  const masked = v.mask && moves;
  const inputs = [
    ...(moves ? [] : ['p']),
    ...(readsGradient ? ['g'] : []),
    ...(rule.inputs ?? []),
    ...(masked ? ['mask'] : []),
  ];
  return defineKernel<string, string, string, string>({
    name: `descent.${rule.name}${key ? `.${key}` : ''}`,
    inouts: [...(moves ? ['p'] : []), ...rule.slots],
    inputs,
    scalars: [...(clip ? ['gscale'] : []), ...(rule.scalars ?? [])],
    uniforms: rule.uniforms,
    update: (refs, o) => {
      const r: RuleRefs = { ...refs };
      for (const name of v.zeroNames) r[name] = o.constant(0);
      if (clip) r.g = o.mul(refs.g as ValueExpr, refs.gscale as ValueExpr);
      const { update: u, ...slots } = rule.update(r, o);
      if (!moves) return slots;
      const step = masked ? o.mul(u as ValueExpr, refs.mask as ValueExpr) : (u as ValueExpr);
      return { ...slots, p: o.add(refs.p as ValueExpr, step) };
    },
  });
}
