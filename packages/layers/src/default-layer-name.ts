const nameCounts = new Map<string, number>();

/**
 * `layer_normalization_1`, `layer_normalization_2`, … for the factory `layerNormalization`: the
 * default name of a layer built without `args.name` (tfjs would derive
 * `descent._layer_normalization_descent.LayerNormalization1` from the registered class name).
 * Counted per factory, in the order layers are made, as tfjs counts its own.
 */
export function defaultLayerName(factory: string): string {
  const count = (nameCounts.get(factory) ?? 0) + 1;
  nameCounts.set(factory, count);
  return `${factory.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_${count}`;
}
