import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

const MODEL_FILE = 'model.json';
const WEIGHTS_FILE = 'weights.bin';

/**
 * `model.save` into `dir` as `model.json` + `weights.bin`, the layout tfjs-node's `file://`
 * handler writes (tfjs-core alone has no file handler in Node). With the optimizer's weights and
 * config, so training can resume where it stopped.
 */
export async function saveToDir(model: tfl.LayersModel, dir: string): Promise<tf.io.SaveResult> {
  return model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      mkdirSync(dir, { recursive: true });
      const weights = new tf.io.CompositeArrayBuffer(artifacts.weightData).slice();
      writeFileSync(join(dir, WEIGHTS_FILE), new Uint8Array(weights));
      const json: tf.io.ModelJSON = {
        modelTopology: artifacts.modelTopology as tf.io.ModelJSON['modelTopology'],
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
        ...(artifacts.trainingConfig ? { trainingConfig: artifacts.trainingConfig } : {}),
      };
      writeFileSync(join(dir, MODEL_FILE), JSON.stringify(json));
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
    { includeOptimizer: true },
  );
}

/** `tfl.loadLayersModel` of what {@link saveToDir} wrote, the optimizer included. */
export async function loadFromDir(dir: string): Promise<tfl.LayersModel> {
  const json = JSON.parse(readFileSync(join(dir, MODEL_FILE), 'utf8')) as tf.io.ModelJSON;
  const artifacts = await tf.io.getModelArtifactsForJSON(json, async (manifest) => {
    const specs = manifest.flatMap((group) => group.weights);
    const buffers = manifest.flatMap((group) =>
      group.paths.map((path) => {
        const bytes = readFileSync(join(dir, path));
        return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
      }),
    );
    return [specs, buffers];
  });
  return tfl.loadLayersModel(tf.io.fromMemory(artifacts));
}
