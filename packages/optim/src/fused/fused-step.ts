import type * as tf from '@tensorflow/tfjs-core';
import type { KernelPath, Params } from '@descent/core';
import type { TransformState } from '../transform/transform-state';

/**
 * Gradient preprocessing a fused step folds into its kernels: `gscale`, a one-element tensor on
 * the device multiplying every gradient (global-norm clipping), and float32 `masks` by parameter
 * name multiplying each parameter's update element-wise (pruning masks).
 */
export interface Preprocessing {
  gscale?: tf.Tensor;
  masks?: Params;
}

/**
 * A named optimizer's whole step written as one fused in-place kernel per variable (DESIGN §4):
 * it reads and writes the same {@link TransformState} its `chain(...)` spelling keeps, so the two
 * paths can alternate (e.g. after a backend switch) and are held equal by parity tests.
 */
export interface FusedStep {
  /** The path a step would take on the active backend; `'reference'` means "use the chain". */
  path(): KernelPath;
  /**
   * Updates the variables and the state's slot variables in place and returns the new state (same
   * slot tensors, advanced counters). Every hyperparameter is evaluated and checked before any
   * kernel runs, so a failing step changes nothing.
   */
  run(
    state: TransformState,
    grads: Params,
    params: Record<string, tf.Variable>,
    prep?: Preprocessing,
  ): TransformState;
  /** Frees what the step keeps besides the state (scratch buffers). */
  dispose?(): void;
}
