import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';

type Call = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => unknown;

type Activation = { apply(x: tf.Tensor): tf.Tensor; getClassName(): string };

/** The parts of a layer that {@link withLayerTaps} swaps for the duration of a call. */
interface OpenLayer {
  name: string;
  call: Call;
  activation?: Activation;
  /** The wrapped layer of a wrapper (descent's weight and spectral normalization). */
  layer?: OpenLayer;
}

/** Where one layer's tap goes: the layer whose `call` and `activation` are swapped. */
interface TapSite {
  name: string;
  target: OpenLayer;
  activation: Activation | undefined;
  call: Call;
  ownCall: boolean;
}

/** The identity, named as tfjs-layers' linear activation so Dense and Conv2D fuse nothing else. */
const LINEAR: Activation = { apply: (x) => x, getClassName: () => 'linear' };

/**
 * Runs `fn` while each of `layers` calls `tap(layer.name, z)` on its pre-activation output `z`
 * (the affine or conv output of Dense/Conv2D, before the layer's activation; for a wrapper
 * without an activation of its own, that of the layer it wraps) and continues with what `tap`
 * returns; a layer with no activation anywhere taps its whole output. Puts the layers back when
 * `fn` returns or throws. Without `tap`, just `fn()`. Internal.
 */
export function withLayerTaps<T>(
  layers: readonly tfl.layers.Layer[],
  tap: ((layer: string, z: tf.Tensor) => tf.Tensor) | undefined,
  fn: () => T,
): T {
  if (tap === undefined) return fn();
  const sites = (layers as unknown as OpenLayer[]).map(tapSite);
  try {
    for (const site of sites) {
      const { target, activation, call, name } = site;
      if (activation !== undefined) target.activation = LINEAR;
      target.call = (inputs, kwargs) => {
        const z = tap(name, call.call(target, inputs, kwargs) as tf.Tensor);
        return activation === undefined ? z : activation.apply(z);
      };
    }
    return fn();
  } finally {
    for (const { target, activation, call, ownCall } of sites) {
      if (ownCall) target.call = call;
      else delete (target as Partial<OpenLayer>).call;
      if (activation !== undefined) target.activation = activation;
    }
  }
}

function tapSite(layer: OpenLayer): TapSite {
  const inner = layer.layer;
  const target = layer.activation === undefined && inner?.activation !== undefined ? inner : layer;
  return {
    name: layer.name,
    target,
    activation: target.activation,
    call: target.call,
    ownCall: Object.hasOwn(target, 'call'),
  };
}
