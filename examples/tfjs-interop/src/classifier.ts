import * as tfl from '@tensorflow/tfjs-layers';
import { groupNormalization, heNormal, layerNormalization } from '@descent/layers';

/**
 * The normalization between a hidden dense layer and its ReLU: `'layer'` for
 * `layerNormalization()` (Ba et al., 2016), `{ groups }` for `groupNormalization({ groups })`
 * (Wu & He, 2018).
 */
export type HiddenNorm = 'layer' | { groups: number };

/** Which of descent's layers-level upgrades the classifier uses. */
export interface ClassifierOptions {
  /** Seeds every kernel initializer (layer `i` gets `seed + i`). */
  seed: number;
  /** Hidden kernels from `heNormal` (He et al., 2015) instead of tfjs's default `glorotUniform`. */
  heInit?: boolean;
  /**
   * A normalization between each hidden dense layer and its ReLU. Those dense layers then have
   * no bias, which the norm's `beta` replaces. Default: none.
   */
  norm?: HiddenNorm;
}

const HIDDEN_UNITS = [256, 128];

/**
 * The app's MNIST classifier, `tf.sequential`: flatten → dense 256 relu → dense 128 relu →
 * dense 10 softmax, with the upgrades `options` turns on. Not compiled.
 */
export function buildClassifier(options: ClassifierOptions): tfl.Sequential {
  const { seed, heInit = false, norm } = options;
  const model = tfl.sequential();
  model.add(tfl.layers.flatten({ inputShape: [28, 28, 1] }));
  HIDDEN_UNITS.forEach((units, i) => {
    const kernelInitializer = heInit
      ? heNormal({ seed: seed + i })
      : tfl.initializers.glorotUniform({ seed: seed + i });
    if (norm !== undefined) {
      model.add(tfl.layers.dense({ units, useBias: false, kernelInitializer }));
      model.add(norm === 'layer' ? layerNormalization() : groupNormalization(norm));
      model.add(tfl.layers.activation({ activation: 'relu' }));
    } else {
      model.add(tfl.layers.dense({ units, activation: 'relu', kernelInitializer }));
    }
  });
  model.add(
    tfl.layers.dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: tfl.initializers.glorotUniform({ seed: seed + HIDDEN_UNITS.length }),
    }),
  );
  return model;
}
