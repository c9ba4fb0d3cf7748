import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type ParamInfo,
  type ParamLayout,
  type Params,
  type Rng,
  checkTensor,
  computeFans,
  describeValue,
  disposeParams,
  formatShape,
  inferParamInfo,
  isTensor,
  sameShape,
  isPlainObject,
} from '@descent/core';
import type { WeightInit } from './init-spec';
import { type ResolvedNorm, normLayerName } from './norm-spec';

/** Collects a net's parameters and their ParamInfo in creation (forward) order. Internal. */
export class NetBuilder {
  readonly params: Params = {};
  readonly info: Record<string, ParamInfo> = {};

  constructor(
    private readonly root: Rng,
    private readonly init: WeightInit,
  ) {}

  /** A weight of `layer` drawn by the net's init from `root.child(key)`. */
  weight(key: string, shape: number[], layout: ParamLayout): void {
    const info = { ...inferParamInfo(key, shape), layout, ...computeFans(shape, layout) };
    this.put(key, this.init(shape, { name: key, info, rng: this.root.child(key) }), info);
  }

  /** A dense layer: `layer/kernel` `[fanIn, fanOut]` and, unless `bias` is false, `layer/bias` zeros. */
  dense(layer: string, fanIn: number, fanOut: number, bias = true): void {
    this.weight(`${layer}/kernel`, [fanIn, fanOut], 'dense');
    if (bias) this.constant(`${layer}/bias`, [fanOut], 0);
  }

  /** A conv layer: `layer/kernel` `[kh, kw, in, out]` and `layer/bias` zeros. */
  conv(layer: string, kh: number, kw: number, channelsIn: number, channelsOut: number): void {
    this.weight(`${layer}/kernel`, [kh, kw, channelsIn, channelsOut], 'conv2d');
    this.constant(`${layer}/bias`, [channelsOut], 0);
  }

  /** The norm layer after weight layer `layer` (nothing for `'none'`). */
  norm(layer: string, norm: ResolvedNorm, channels: number): void {
    if (norm.type === 'none') return;
    const name = normLayerName(layer, norm);
    this.constant(`${name}/gamma`, [channels], 1);
    this.constant(`${name}/beta`, [channels], 0);
    if (norm.type === 'batch') {
      this.constant(`${name}/moving_mean`, [channels], 0);
      this.constant(`${name}/moving_variance`, [channels], 1);
    }
  }

  /** A tensor filled with `value`, its info inferred from the name (or given). */
  constant(key: string, shape: number[], value: number, info?: ParamInfo): void {
    this.put(key, tf.fill(shape, value), info ?? inferParamInfo(key, shape));
  }

  /** Adds a tensor the builder now owns. */
  put(key: string, tensor: tf.Tensor, info: ParamInfo): void {
    this.params[key] = tensor;
    this.info[key] = info;
  }

  /** Disposes everything made so far (after a failure). */
  dispose(): void {
    disposeParams(this.params);
  }
}

/** Runs `body` on a fresh builder; on any error disposes what was made and rethrows. Internal. */
export function buildParams(
  root: Rng,
  init: WeightInit,
  body: (b: NetBuilder) => void,
): { params: Params; info: Record<string, ParamInfo> } {
  const b = new NetBuilder(root, init);
  try {
    body(b);
  } catch (error) {
    b.dispose();
    throw error;
  }
  return { params: b.params, info: b.info };
}

/** The shapes of a net's parameters, for {@link checkApplyParams}. Internal. */
export function shapesOf(params: Params): Record<string, number[]> {
  const shapes: Record<string, number[]> = {};
  for (const [key, t] of Object.entries(params)) shapes[key] = [...t.shape];
  return shapes;
}

/**
 * Asserts `params` has every key of `shapes`, as live float32 tensors of those shapes, before a
 * forward pass — JavaScript checks only, once per call. Extra keys are ignored. Internal.
 *
 * @throws DescentError `BAD_ARGUMENT` (params not an object, an entry not a tensor),
 *   `UNKNOWN_PARAM` (a missing entry), `DISPOSED`, `DTYPE_MISMATCH`, `SHAPE_MISMATCH`, each naming
 *   the entry.
 */
export function checkApplyParams(
  fn: string,
  shapes: Record<string, number[]>,
  params: Params,
): void {
  if (!isPlainObject(params)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: params must be an object of tensors (e.g. net.params), got ${describeValue(params)}.`,
    );
  }
  for (const [key, shape] of Object.entries(shapes)) {
    const t: unknown = params[key];
    const name = `${fn}: params[${JSON.stringify(key)}]`;
    if (t === undefined) {
      throw new DescentError(
        'UNKNOWN_PARAM',
        `${fn}: params has no ${JSON.stringify(key)} (shape ${formatShape(shape)}), which this net needs.`,
      );
    }
    checkTensor(name, t);
    if (t.dtype !== 'float32') {
      throw new DescentError(
        'DTYPE_MISMATCH',
        `${name} (shape ${formatShape(t.shape)}) has dtype ${t.dtype}, expected float32.`,
      );
    }
    if (!sameShape(t.shape, shape)) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `${name} has shape ${formatShape(t.shape)}, expected ${formatShape(shape)}.`,
      );
    }
  }
}

/** Asserts `x` is a live float32 `[N, …inner]` tensor. Internal. */
export function checkInput(
  fn: string,
  x: unknown,
  inner: readonly number[],
  describe: string,
): void {
  checkInputTensor(fn, x, describe);
  if (x.rank !== inner.length + 1 || inner.some((d, i) => x.shape[i + 1] !== d)) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${fn}: x must be ${describe}, i.e. [N, ${inner.join(', ')}], got ${formatShape(x.shape)}.`,
    );
  }
}

/**
 * Asserts `x` is a live float32 tensor (its shape is the caller's to check). Internal.
 *
 * @throws DescentError `BAD_ARGUMENT`, `DISPOSED` or `DTYPE_MISMATCH`, naming `x`.
 */
export function checkInputTensor(fn: string, x: unknown, describe: string): asserts x is tf.Tensor {
  if (!isTensor(x)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}: x must be a tf.Tensor ${describe}, got ${describeValue(x)}.`,
    );
  }
  if (x.isDisposed) {
    throw new DescentError('DISPOSED', `${fn}: x (shape ${formatShape(x.shape)}) is disposed.`);
  }
  if (x.dtype !== 'float32') {
    throw new DescentError(
      'DTYPE_MISMATCH',
      `${fn}: x (shape ${formatShape(x.shape)}) must be float32, got ${x.dtype}.`,
    );
  }
}

/**
 * Inverted dropout with rate `rate`: keeps each unit with probability `1 − rate` and scales the
 * kept ones by `1/(1 − rate)`. The mask is drawn in JavaScript from `rng` (float32 0/1 words,
 * `Rng.bernoulliArray`) and uploaded, so it is identical on every backend. Internal.
 */
export function dropout(h: tf.Tensor, rate: number, rng: Rng): tf.Tensor {
  const mask = rng.bernoulliArray(h.size, 1 - rate);
  const scale = Math.fround(1 / (1 - rate));
  for (let i = 0; i < mask.length; i++) mask[i] = (mask[i] as number) * scale;
  return tf.mul(h, tf.tensor(mask, h.shape));
}
