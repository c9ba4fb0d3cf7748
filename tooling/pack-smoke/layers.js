// uses: @tensorflow/tfjs-layers as tfl
await core.useBackend('wasm');
const model = tfl.sequential();
model.add(
  tfl.layers.dense({ units: 8, inputShape: [4], kernelInitializer: pkg.heNormal({ seed: 1 }) }),
);
model.add(pkg.groupNormalization({ groups: 2 }));
const x = tf.tensor2d([1, 2, 3, 4, -1, 0, 2, 5], [2, 4]);
const y = /** @type {tf.Tensor} */ (model.predict(x));
const values = Array.from(await y.data());
// Each sample's group of 4 channels has mean 0 after group normalization.
const groupMean = (values[0] + values[1] + values[2] + values[3]) / 4;
check(Math.abs(groupMean) < 1e-5, `groupNormalization group mean ${groupMean}`);
/** @type {tf.io.ModelArtifacts | undefined} */
let saved;
await model.save(
  tf.io.withSaveHandler(async (artifacts) => {
    saved = artifacts;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }),
);
if (!saved) throw new Error('model.save gave nothing');
const loaded = await tfl.loadLayersModel(tf.io.fromMemory(saved));
const again = Array.from(await /** @type {tf.Tensor} */ (loaded.predict(x)).data());
check(
  again.every((v, i) => v === values[i]),
  'the loaded model computes something else',
);
check(
  loaded.layers[1]?.getClassName() === 'descent.GroupNormalization',
  'groupNormalization did not load as itself',
);
report(
  `heNormal + groupNormalization in tf.sequential, saved and loaded (${loaded.layers[1]?.getClassName()})`,
);
