import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

type Call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => unknown;

/** The parts of a layer that {@link withLayerTaps} swaps for the duration of a call. */
interface OpenLayer {
  name: string;
  call: Call;
  activation?: { apply(x: tf.Tensor): tf.Tensor; getClassName(): string };
}

/** The identity, named as tfjs-layers' linear activation so Dense and Conv2D fuse nothing else. */
const LINEAR = { apply: (x: tf.Tensor) => x, getClassName: () => 'linear' };

/**
 * Runs `fn` while each of `layers` calls `tap(layer.name, z)` on its pre-activation output `z`
 * (the affine or conv output of Dense/Conv2D, before the layer's activation) and continues with
 * what `tap` returns; a layer without an `activation` taps its whole output. Puts the layers back
 * when `fn` returns or throws. Without `tap`, just `fn()`. Internal.
 */
export function withLayerTaps<T>(
  layers: readonly tfl.layers.Layer[],
  tap: ((layer: string, z: tf.Tensor) => tf.Tensor) | undefined,
  fn: () => T,
): T {
  if (tap === undefined) return fn();
  const open = layers as unknown as OpenLayer[];
  const activations = open.map((layer) => layer.activation);
  const calls = open.map((layer) => layer.call);
  const ownCalls = open.map((layer) => Object.hasOwn(layer, 'call'));
  try {
    open.forEach((layer, i) => {
      const ownCall = calls[i] as Call;
      const activation = activations[i];
      if (activation !== undefined) layer.activation = LINEAR;
      layer.call = (inputs, kwargs) => {
        const z = tap(layer.name, ownCall.call(layer, inputs, kwargs) as tf.Tensor);
        return activation === undefined ? z : activation.apply(z);
      };
    });
    return fn();
  } finally {
    open.forEach((layer, i) => {
      if (ownCalls[i]) layer.call = calls[i] as Call;
      else delete (layer as Partial<OpenLayer>).call;
      if (activations[i] !== undefined) layer.activation = activations[i];
    });
  }
}
