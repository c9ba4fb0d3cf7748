import * as tf from '@tensorflow/tfjs-core';
import type { OwnedApplier } from './gradient-applier';

/**
 * SGD with heavy-ball momentum in tfjs's form, `v ← μ·v + g`, `θ ← θ − η·v` (what
 * `tf.train.momentum(η, μ)` does, whose `dispose` leaves its learning-rate scalar behind).
 * Internal: the default optimizer of {@link modeConnect}.
 */
export function heavyBall(learningRate: number, momentum: number): OwnedApplier {
  const velocities = new Map<string, tf.Tensor>();
  return {
    applyGradients(grads) {
      for (const [name, g] of Object.entries(grads)) {
        const variable = tf.engine().registeredVariables[name] as tf.Variable;
        const old = velocities.get(name);
        const next = tf.tidy(() => {
          const v = old === undefined ? g : tf.add(tf.mul(old, momentum), g);
          variable.assign(tf.sub(variable, tf.mul(v, learningRate)));
          return v === g ? tf.clone(g) : v;
        });
        old?.dispose();
        velocities.set(name, next);
      }
    },
    dispose() {
      for (const v of velocities.values()) v.dispose();
      velocities.clear();
    },
  };
}
