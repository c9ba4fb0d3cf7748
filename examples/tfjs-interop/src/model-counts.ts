import type * as tfl from '@tensorflow/tfjs-layers';

/** The number of trainable parameters (`model.countParams()` less the non-trainable ones). */
export function trainableCount(model: tfl.LayersModel): number {
  return model.trainableWeights.reduce(
    (n, w) => n + w.shape.reduce<number>((a, b) => a * (b ?? 1), 1),
    0,
  );
}

/** Whether two models hold the very same numbers in every weight, in `model.weights` order. */
export async function sameWeights(a: tfl.LayersModel, b: tfl.LayersModel): Promise<boolean> {
  if (a.weights.length !== b.weights.length) return false;
  for (const [i, weight] of a.weights.entries()) {
    const other = b.weights[i] as tfl.LayerVariable;
    const [x, y] = await Promise.all([weight.read().data(), other.read().data()]);
    if (!sameNumbers(x as Float32Array, y as Float32Array)) return false;
  }
  return true;
}

/** Element-wise identity (`Object.is`: +0 and −0 differ, NaN equals NaN). */
export function sameNumbers(a: Float32Array, b: Float32Array): boolean {
  return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
}
