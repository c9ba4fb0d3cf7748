import type * as tf from '@tensorflow/tfjs-core';
import { sameShape } from '@descent/core';
import type { CompiledStep } from '../fused/fused-step';
import type { NamedTensor } from './gradient-input';

/**
 * A compiled fused step and the gradient list it was compiled for: the variable names in the
 * order `applyGradients` receives them. A step whose gradients name exactly these variables in
 * this order, each a live float32 tensor shaped like its live variable, takes the compiled step;
 * any other step (a different subset or order, a bad gradient) goes through the general path,
 * which reports errors in the optimizer's own words.
 */
export class RepeatedSteps {
  private readonly grads: tf.Tensor[];
  private readonly named: ReadonlySet<string>;

  constructor(
    readonly names: readonly string[],
    private readonly variables: readonly tf.Variable[],
    readonly step: CompiledStep,
  ) {
    this.grads = new Array(names.length);
    this.named = new Set(names);
  }

  /**
   * The gradients in compiled order, or `undefined` when this step is not one of these. Entries
   * of other variables whose gradient is `null` or `undefined` are skipped, as the general path
   * skips them (a compiled variable without a gradient takes the general path).
   */
  match(variableGradients: tf.NamedTensorMap | NamedTensor[]): readonly tf.Tensor[] | undefined {
    const { names, grads } = this;
    let i = 0;
    if (Array.isArray(variableGradients)) {
      for (const entry of variableGradients as (NamedTensor | null | undefined)[]) {
        if (!entry || typeof entry.name !== 'string') return undefined;
        if (entry.tensor == null && !this.named.has(entry.name)) continue;
        if (entry.name !== names[i]) return undefined;
        grads[i++] = entry.tensor;
      }
    } else {
      if (typeof variableGradients !== 'object' || variableGradients === null) return undefined;
      for (const name in variableGradients) {
        const g = variableGradients[name];
        if (g == null && !this.named.has(name)) continue;
        if (name !== names[i]) return undefined;
        grads[i++] = g as tf.Tensor; // null only for a compiled variable: gradientsFit rejects it
      }
    }
    if (i !== names.length) return undefined;
    return this.gradientsFit() ? grads : undefined;
  }

  private gradientsFit(): boolean {
    const { grads, variables } = this;
    for (let i = 0; i < grads.length; i++) {
      const g = grads[i] as tf.Tensor | null | undefined;
      const v = variables[i] as tf.Variable;
      if (
        typeof g !== 'object' ||
        g === null ||
        g.isDisposed !== false ||
        g.dtype !== 'float32' ||
        !Array.isArray(g.shape) ||
        v.isDisposed ||
        !sameShape(g.shape, v.shape)
      ) {
        return false;
      }
    }
    return true;
  }
}

/** Whether two name lists are equal, element by element. */
export function sameNames(a: readonly string[] | undefined, b: readonly string[]): boolean {
  if (a === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
