import * as tf from '@tensorflow/tfjs-core';
import { gradientOfGradient } from '@descent/core';
import { DEFAULT_LEAKY_RELU_SLOPE } from '@descent/init';
import { type Activation, activate } from './activation';
import { matMulPlainBackward } from './matmul-plain-backward';

type FusedActivation = 'linear' | 'relu' | 'leakyrelu' | 'elu' | 'sigmoid';

/** nets' activations whose math tfjs's fused kernels compute exactly as {@link activate} does. */
const FUSED: Partial<Record<Activation, FusedActivation>> = {
  linear: 'linear',
  relu: 'relu',
  leakyRelu: 'leakyrelu',
  elu: 'elu',
  sigmoid: 'sigmoid',
};

/**
 * One dense layer `φ(tap(h·W + b))`. Internal.
 *
 * Without a gradient tape (inference) and outside {@link gradientOfGradient}, `h·W + b` runs as
 * one `tf.fused.matMul` kernel, with `φ` fused in too when `tap` is absent (the default identity)
 * and `φ` is one tfjs fuses with the same math (relu, leakyRelu with slope 0.01, elu, sigmoid,
 * linear). While a tape records, the composable ops (`matMul`, `add`, nets' any-order
 * activations): tfjs fuses nothing but the linear case under a tape, and that fused kernel's
 * backward measured slower on wasm than `matMul` + `add` (LeNet-300-100's first layer at batch 64,
 * 28 ms against 17 ms per forward and backward), besides not being differentiable twice. On
 * wasm, first-order training multiplies by explicit transposes in the backward pass
 * ({@link matMulPlainBackward}: tfjs-backend-wasm's transposed `BatchMatMul` is ~10× slower).
 *
 * @param tap - applied to the pre-activation `h·W + b`; `undefined` for the identity.
 */
export function denseLayer(
  h: tf.Tensor,
  kernel: tf.Tensor,
  bias: tf.Tensor | undefined,
  activation: Activation,
  tap?: (z: tf.Tensor) => tf.Tensor,
): tf.Tensor {
  if (tf.engine().state.gradientDepth > 0 || gradientOfGradient()) {
    const plainBackward = tf.getBackend() === 'wasm' && !gradientOfGradient() && h.rank === 2;
    const product = plainBackward ? matMulPlainBackward(h, kernel) : tf.matMul(h, kernel);
    const z = bias === undefined ? product : tf.add(product, bias);
    return activate(tap === undefined ? z : tap(z), activation);
  }
  const fused = tap === undefined ? FUSED[activation] : undefined;
  const z = tf.fused.matMul({
    a: h as tf.Tensor2D,
    b: kernel as tf.Tensor2D,
    bias,
    activation: fused ?? 'linear',
    leakyreluAlpha: DEFAULT_LEAKY_RELU_SLOPE,
  });
  if (fused !== undefined) return z;
  return activate(tap === undefined ? z : tap(z), activation);
}
