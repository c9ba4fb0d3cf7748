import * as tf from '@tensorflow/tfjs-core';
import { buildClassifier } from './classifier';
import type { DigitTensors } from './mnist-tensors';
import { adamwWarmupCosine } from './optimizers';
import { compileClassifier, disposeModel } from './upgrade-steps';

/**
 * A few batches through a throwaway classifier with every upgrade, so that the first timed step
 * does not pay the backend's one-time costs (kernel setup, first allocations).
 */
export async function warmUp(train: DigitTensors, batchSize: number): Promise<void> {
  const model = buildClassifier({ seed: 0, heInit: true, norm: 'layer' });
  compileClassifier(model, adamwWarmupCosine({ steps: 4, peak: 1e-3 }));
  const n = Math.min(4 * batchSize, train.labels.length);
  const x = tf.slice(train.x, 0, n);
  const y = tf.slice(train.y, 0, n);
  try {
    await model.fit(x, y, { epochs: 1, batchSize, verbose: 0 });
  } finally {
    tf.dispose([x, y]);
    disposeModel(model);
  }
}
