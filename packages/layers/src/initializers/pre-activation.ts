import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

/** A layer whose weight is a `kernel` (dense, conv1d/2d/3d, conv2dTranspose, …). */
export type KernelLayer = tfl.layers.Layer & {
  kernel: tfl.LayerVariable;
  bias?: tfl.LayerVariable | null;
  activation?: { getClassName(): string } | null;
};

/** Whether `layer` holds a `kernel` weight. */
export function hasKernel(layer: tfl.layers.Layer): layer is KernelLayer {
  const kernel = (layer as { kernel?: unknown }).kernel;
  return typeof kernel === 'object' && kernel !== null && 'read' in kernel && 'write' in kernel;
}

/** The name of `layer`'s fused activation (`'linear'` when it has none). */
export function activationName(layer: KernelLayer): string {
  return layer.activation?.getClassName() ?? 'linear';
}

/**
 * `layer`'s output on `input` before its fused activation, in inference mode: the layer is
 * called with its activation replaced by tfjs-layers' own `'linear'` for the duration of the call.
 * Returns a new tensor the caller disposes.
 */
export function preActivation(layer: KernelLayer, input: tf.Tensor): tf.Tensor {
  const activation = layer.activation;
  if (activation === undefined || activation === null || activation.getClassName() === 'linear') {
    return layer.apply(input, { training: false }) as tf.Tensor;
  }
  layer.activation = linearActivation();
  try {
    return layer.apply(input, { training: false }) as tf.Tensor;
  } finally {
    layer.activation = activation;
  }
}

function linearActivation(): { getClassName(): string } {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap.linear;
  const Linear = entry?.[0] as (new () => { getClassName(): string }) | undefined;
  if (Linear === undefined) throw new Error("tfjs-layers' 'linear' activation is not registered.");
  return new Linear();
}
