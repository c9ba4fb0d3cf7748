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
 * A named optimizer's whole step written as one fused in-place kernel per variable (WASM-SIMD or WebGPU):
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
  /**
   * Prepares repeated steps over one list of variables, for optimizers that update the same
   * variables every step (a model's). `keys` are the state keys in the order the gradients will
   * come, `params` their variables; every one must already have its slots in `state` as state
   * variables (after one {@link run}), else this returns `undefined`. Also `undefined` where the
   * step has no compiled form.
   */
  compile?(
    state: TransformState,
    keys: readonly string[],
    params: readonly tf.Variable[],
    prep: CompiledPreprocessing,
  ): CompiledStep | undefined;
  /** Frees what the step keeps besides the state (scratch buffers). */
  dispose?(): void;
}

/** The preprocessing a compiled step folds in: whether a clipping factor comes, and the masks. */
export interface CompiledPreprocessing {
  clip: boolean;
  masks?: Params;
}

/**
 * Steps compiled for one list of variables ({@link FusedStep.compile}): checked and bound once,
 * each step then evaluates the hyperparameters, fills one argument table and runs every variable's
 * kernel in one call (wasm). The chain state is kept aside, not rebuilt per step:
 * {@link CompiledStep.state} gives it as the steps so far left it.
 */
export interface CompiledStep {
  /**
   * One step: gradients in the compiled order (checked by the caller: live float32, shaped like
   * their variables) and, when compiled with `clip`, the clipping factor. Every hyperparameter is
   * evaluated and checked before any kernel runs; a failing step changes nothing.
   */
  run(grads: readonly tf.Tensor[], gscale?: tf.Tensor): void;
  /** The chain state after the steps run so far (the same state tensors, advanced counters). */
  state(): TransformState;
  /** Frees what compiling made (the argument table); the state tensors stay. */
  dispose(): void;
}
