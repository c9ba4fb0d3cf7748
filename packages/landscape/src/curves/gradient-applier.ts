import type * as tf from '@tensorflow/tfjs-core';

/**
 * What {@link modeConnect} trains with: anything with tfjs's `applyGradients` taking gradients by
 * variable name — a `tf.train.*` optimizer or one of `@descent/optim`'s.
 *
 * @example
 * ```ts
 * const optimizer: GradientApplier = tf.train.momentum(0.015, 0.9);
 * ```
 */
export interface GradientApplier {
  /**
   * One step on the registered variables named by the keys. The values are gradients (plain
   * tensors); the parameter is typed as tfjs's `Optimizer` declares it, so its optimizers fit.
   */
  applyGradients(variableGradients: Record<string, tf.Variable>): void;
}

/** A {@link GradientApplier} that owns state and frees it. Internal. */
export interface OwnedApplier extends GradientApplier {
  dispose(): void;
}
