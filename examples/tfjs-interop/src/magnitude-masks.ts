import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { disposeParams } from '@descent/core';
import { fromLayersModel } from '@descent/layers';
import { type Masks, densityReport, magnitudeScores, prune } from '@descent/lottery';

/** The masks that keep a trained model's largest kernel entries, and how many they keep. */
export interface MagnitudeMasks {
  /** 0/1 masks keyed by kernel name (`dense_Dense1/kernel`); the caller disposes them. */
  masks: Masks;
  /** Kept kernel entries over all kernel entries. */
  density: number;
  kept: number;
  total: number;
}

/**
 * Magnitude pruning (Frankle & Carbin, 2019) of a trained layers model: `fromLayersModel` views its
 * weights as descent params, and every kernel keeps its `density` of largest-magnitude entries
 * (layerwise, so each layer keeps the same fraction; biases and norm weights are never pruned).
 * The model's weights are not changed: the masks are applied by `PruningCallback` in `fit`.
 */
export async function magnitudeMasks(
  model: tfl.LayersModel,
  density: number,
): Promise<MagnitudeMasks> {
  const view = fromLayersModel(model);
  const scores = magnitudeScores(view.params);
  try {
    const masks = await prune(scores, { info: view.info, density });
    const { overall } = await densityReport(masks);
    return { masks, ...overall };
  } finally {
    disposeParams(scores);
  }
}

/**
 * How many entries the masks prune and how many of those are not exactly 0 (+0 or −0) in the
 * model's weights. A mask key names a weight or, in a model loaded beside the original, its
 * original name.
 */
export async function prunedEntries(
  model: tfl.LayersModel,
  masks: Masks,
): Promise<{ pruned: number; nonzero: number }> {
  let pruned = 0;
  let nonzero = 0;
  for (const [key, mask] of Object.entries(masks)) {
    const weight =
      model.weights.find((w) => w.name === key) ??
      model.weights.find((w) => w.originalName === key);
    if (weight === undefined) throw new Error(`no weight of the model is named ${key}`);
    const [m, w] = await Promise.all([mask.data(), weight.read().data()]);
    m.forEach((keep, i) => {
      if (keep === 0) {
        pruned += 1;
        if (w[i] !== 0) nonzero += 1;
      }
    });
  }
  return { pruned, nonzero };
}

/** Frees the masks. */
export function disposeMasks(masks: Masks): void {
  tf.dispose(Object.values(masks));
}
