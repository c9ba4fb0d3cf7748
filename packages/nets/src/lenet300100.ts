import type { Activation } from './activation';
import { type InitSpec, gaussianGlorot } from './init-spec';
import { denseNet } from './mlp';
import type { Net } from './net';
import { type SeedOptions, readOptions } from './options';

/** Options of {@link lenet300100}. */
export interface Lenet300100Options extends SeedOptions {
  /** Weight init. Default Gaussian Glorot `N(0, 2/(fanIn + fanOut))`, untruncated (Frankle & Carbin). */
  init?: InitSpec;
  /** Hidden nonlinearity. Default `'relu'`. */
  activation?: Activation;
  /** Dropout rate after each hidden layer, training only. Default 0. */
  dropout?: number;
}

/**
 * LeNet-300-100: the fully connected MNIST network `784 → 300 → 100 → 10` with ReLU hidden
 * layers and linear logits (LeCun et al., 1998), in the configuration of Frankle & Carbin's
 * lottery-ticket experiments: Gaussian Glorot init, biases zero. 266 610 parameters:
 * `dense1` `[784, 300]`, `dense2` `[300, 100]`, `dense3` `[100, 10]` plus their biases.
 * Inputs are `[N, 784]` (flattened 28×28 images). Everything else is as in {@link mlp}.
 *
 * @param options - `seed` (0), `init`, `activation` (`'relu'`), `dropout` (0).
 * @returns a {@link Net}; the caller owns `net.params`.
 * @throws DescentError as {@link mlp}.
 * @example
 * ```ts
 * const net = lenet300100({ seed: 0 });
 * const loss = softmaxCrossEntropy(net.apply(net.params, x), y);
 * ```
 * @see J. Frankle, M. Carbin, The Lottery Ticket Hypothesis, ICLR 2019 (Fig. 2);
 *   Y. LeCun, L. Bottou, Y. Bengio, P. Haffner, Gradient-based learning applied to document
 *   recognition, Proc. IEEE 1998.
 */
export function lenet300100(options?: Lenet300100Options): Net {
  const o = readOptions('lenet300100', options, ['seed', 'init', 'activation', 'dropout']);
  return denseNet('lenet300100', { sizes: [784, 300, 100, 10], ...o }, () => gaussianGlorot);
}
