import * as tf from '@tensorflow/tfjs-core';
import { scaledSubtract } from '@descent/core';
import type { BenchCase } from '../bench-case';

/** Bytes one element moves per step: read p, read g, write p (float32). */
const BYTES_PER_ELEMENT = 12;

/**
 * `p ← p − α·g` on one variable of `size` elements: descent's fused in-place kernel against the same
 * update written with tfjs ops (`p.assign(tf.sub(p, tf.mul(α, g)))`, two kernels and two allocations).
 */
export function scaledSubtractCase(size: number): BenchCase {
  return {
    name: `scaledSubtract 1 × ${size.toLocaleString('en-US')}`,
    elements: size,
    bytesPerStep: size * BYTES_PER_ELEMENT,
    setup() {
      const source = tf.randomNormal([size]);
      const p = tf.variable(source);
      source.dispose();
      const g = tf.randomNormal([size]);
      const alpha = tf.scalar(1e-3);
      return {
        descent: () => {
          scaledSubtract(p, g, 1e-3);
        },
        baseline: () => {
          p.assign(tf.tidy(() => tf.sub(p, tf.mul(alpha, g))));
        },
        witness: () => p,
        dispose: () => tf.dispose([p, g, alpha]),
      };
    },
  };
}
