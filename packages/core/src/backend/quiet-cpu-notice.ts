import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs's cpu backend, on the first tensor it stores in Node, logs a banner advising
 * `@tensorflow/tfjs-node`, a backend descent does not use. This stores (and frees) that first
 * tensor with tfjs's logging muted for the moment (its `PROD` flag, restored after), so the banner
 * never shows and every later tfjs warning still does. Call it with cpu active.
 */
export function quietCpuNodeNotice(): void {
  const env = tf.env();
  const prod = env.getBool('PROD');
  env.set('PROD', true);
  try {
    tf.tensor1d([0]).dispose();
  } finally {
    env.set('PROD', prod);
  }
}
