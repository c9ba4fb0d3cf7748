import type * as tf from '@tensorflow/tfjs-core';
import type { KernelBatch } from '@descent/core';
import type { SlotValue, TransformState } from '../transform/transform-state';
import { elementState } from '../transform/named-chain';
import { advanceChain, elementCount } from './chain-counters';
import type { FusedPerParameterOptions, VariablePlan } from './per-parameter-plan';
import type { CompiledPreprocessing, CompiledStep } from './fused-step';

/**
 * {@link FusedPerParameterOptions} compiled for one list of variables (see `FusedStep.compile`):
 * rows `[p, ...slots]` bound once into a kernel batch, per-variable slot records kept aside and
 * updated in place (their number slots), and the chain's counters advanced by a step count, so
 * that a step allocates nothing but its plans and makes one call into the kernel module.
 *
 * Returns `undefined` when a variable has no state yet or its slots are not state variables (the
 * next step through `run` makes them), or when only some variables have a mask (one batch runs
 * one kernel variant).
 */
export function compilePerParameter<C>(
  options: FusedPerParameterOptions<C>,
  base: TransformState,
  keys: readonly string[],
  params: readonly tf.Variable[],
  prep: CompiledPreprocessing,
): CompiledStep | undefined {
  const { layout } = options;
  const own = elementState(base, layout, options.slotsAt);
  const slotNames = options.kernel.rule.slots;
  const records: Record<string, SlotValue>[] = [];
  const rows: tf.Variable[][] = [];
  for (let i = 0; i < keys.length; i++) {
    const previous = own?.slots[keys[i] as string];
    if (!previous) return undefined;
    const slots = slotNames.map((name) => previous[name]);
    if (!slots.every(isStateVariable)) return undefined;
    records.push({ ...previous });
    rows.push([params[i] as tf.Variable, ...(slots as tf.Variable[])]);
  }
  const masks = prep.masks === undefined ? [] : keys.map((key) => prep.masks?.[key]);
  const masked = masks.filter((m) => m !== undefined).length;
  if (masked !== 0 && masked !== keys.length) return undefined;

  const uniformNames = options.kernel.rule.uniforms;
  const readsPerRow = 1 + (masked ? 1 : 0) + (prep.clip ? 1 : 0);
  // One batch per kernel variant a step needs (decay on or off: see the rule's `zeroable`).
  const batches = new Map<number, KernelBatch>();
  const batchFor = (zeros: number): KernelBatch => {
    let batch = batches.get(zeros);
    if (!batch) {
      batch = options.kernel.batch(rows, { clip: prep.clip, mask: masked !== 0, zeros });
      batches.set(zeros, batch);
    }
    return batch;
  };
  const reads: tf.Tensor[] = new Array(keys.length * readsPerRow);
  const uniforms = new Float64Array(keys.length * uniformNames.length);
  const plans: VariablePlan[] = new Array(keys.length);
  const unchanged = options.stateless ?? [];
  let steps = 0;
  const count = (name: string) =>
    elementCount(base, layout, name) + (name in layout && !unchanged.includes(name) ? steps : 0);

  return {
    run(grads, gscale) {
      const constants = options.constants(count);
      // Every plan first: a hyperparameter out of range throws before any variable changes.
      for (let i = 0; i < keys.length; i++) {
        const plan = options.plan(
          keys[i] as string,
          params[i] as tf.Variable,
          records[i],
          constants,
        );
        plans[i] = plan;
        for (let u = 0; u < uniformNames.length; u++) {
          uniforms[i * uniformNames.length + u] = plan.uniforms[
            uniformNames[u] as string
          ] as number;
        }
        let at = i * readsPerRow;
        reads[at++] = grads[i] as tf.Tensor;
        if (masked) reads[at++] = masks[i] as tf.Tensor;
        if (prep.clip) reads[at] = gscale as tf.Tensor;
      }
      batchFor(options.kernel.zeroPattern(uniforms, keys.length)).run(reads, uniforms);
      for (let i = 0; i < keys.length; i++) {
        const numbers = (plans[i] as VariablePlan).numbers;
        if (numbers) Object.assign(records[i] as Record<string, SlotValue>, numbers);
      }
      steps += 1;
    },
    state() {
      const slots: Record<string, Readonly<Record<string, SlotValue>>> = { ...own?.slots };
      keys.forEach((key, i) => {
        slots[key] = { ...records[i] };
      });
      return advanceChain(base, layout, options.slotsAt, slots, unchanged, steps);
    },
    dispose() {
      for (const batch of batches.values()) batch.dispose();
      batches.clear();
    },
  };
}

function isStateVariable(value: SlotValue | undefined): value is tf.Variable {
  return (
    typeof value === 'object' &&
    typeof (value as Partial<tf.Variable>).assign === 'function' &&
    !value.isDisposed
  );
}
