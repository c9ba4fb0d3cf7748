import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { DescentError, formatShape } from '@descent/core';

/** One mask and the model weight it prunes. */
export interface MaskTarget {
  /** The mask's key, as the user gave it. */
  readonly key: string;
  readonly weight: tfl.LayerVariable;
  readonly mask: tf.Tensor;
}

/** How many weight names an "unknown mask" message lists. */
const LISTED_NAMES = 8;

/**
 * Pairs every mask with the weight of `model` it prunes, checking all of them before returning:
 *
 * 1. `names[key]`, when given, is the weight's exact name;
 * 2. else the weight whose `name` is `key`;
 * 3. else the one weight whose `originalName` is `key` — the name before tfjs-layers made it
 *    unique with a `_1`, `_2`… suffix (a model loaded while the original still exists).
 *
 * @throws DescentError `UNKNOWN_PARAM` (a mask or a `names` entry for no weight), `BAD_ARGUMENT`
 *   (two masks for one weight), `SHAPE_MISMATCH` (naming the mask and both shapes),
 *   `DTYPE_MISMATCH` (a weight that is not float32).
 */
export function resolveMaskTargets(
  what: string,
  model: tfl.LayersModel,
  masks: Readonly<Record<string, tf.Tensor>>,
  names: Readonly<Record<string, string>>,
): MaskTarget[] {
  const weights = model.weights;
  const byName = new Map(weights.map((w) => [w.name, w]));
  const taken = new Map<tfl.LayerVariable, string>();
  return Object.entries(masks).map(([key, mask]) => {
    const weight = findWeight(what, key, names[key], byName, weights);
    const other = taken.get(weight);
    if (other !== undefined) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${what}: masks[${JSON.stringify(key)}] and masks[${JSON.stringify(other)}] both name the weight ${weight.name}; give one mask per weight.`,
      );
    }
    taken.set(weight, key);
    checkFits(what, key, mask, weight);
    return { key, weight, mask };
  });
}

function findWeight(
  what: string,
  key: string,
  explicit: string | undefined,
  byName: ReadonlyMap<string, tfl.LayerVariable>,
  weights: readonly tfl.LayerVariable[],
): tfl.LayerVariable {
  if (explicit !== undefined) {
    const weight = byName.get(explicit);
    if (weight === undefined) {
      throw unknown(what, `names[${JSON.stringify(key)}] is ${JSON.stringify(explicit)}`, weights);
    }
    return weight;
  }
  const exact = byName.get(key);
  if (exact !== undefined) return exact;
  const renamed = weights.filter((w) => w.originalName === key);
  if (renamed.length === 1) return renamed[0] as tfl.LayerVariable;
  throw unknown(what, `masks[${JSON.stringify(key)}]`, weights);
}

function unknown(what: string, label: string, weights: readonly tfl.LayerVariable[]): DescentError {
  const listed = weights.slice(0, LISTED_NAMES).map((w) => w.name);
  const more = weights.length > LISTED_NAMES ? `, … (${weights.length} in all)` : '';
  return new DescentError(
    'UNKNOWN_PARAM',
    `${what}: ${label} names no weight of the model; its weights are ${listed.join(', ')}${more}.`,
  );
}

function checkFits(what: string, key: string, mask: tf.Tensor, weight: tfl.LayerVariable): void {
  const label = `${what}: masks[${JSON.stringify(key)}]`;
  const same =
    mask.shape.length === weight.shape.length && mask.shape.every((d, i) => d === weight.shape[i]);
  if (!same) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${label} has shape ${formatShape(mask.shape)} but the weight ${weight.name} has shape ${formatShape(weight.shape as number[])}; they must match.`,
    );
  }
  if (weight.dtype !== 'float32') {
    throw new DescentError(
      'DTYPE_MISMATCH',
      `${label} masks the weight ${weight.name}, which must be float32, got ${weight.dtype}.`,
    );
  }
}
