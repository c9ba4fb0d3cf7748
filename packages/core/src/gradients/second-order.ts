import * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '../errors/descent-error';
import { describeValue } from '../validate/describe-value';
import { hasGradients } from './ensure-gradients';

type GradConfig = tf.GradConfig;
type Attrs = Record<string, unknown>;

type GradFn = (dy: tf.Tensor, saved: tf.Tensor[], attrs: Attrs) => Record<string, () => tf.Tensor>;

function gradient(kernelName: string, inputsToSave: string[], gradFunc: GradFn): GradConfig {
  return {
    kernelName,
    inputsToSave,
    gradFunc: (dy, saved, attrs) => gradFunc(dy as tf.Tensor, saved, attrs as Attrs),
  };
}

/**
 * tfjs-core's own gradients of these kernels are exact to first order but not to second: they
 * compute from the kernel's saved **output**, which tfjs's tape saves as a copy made before the
 * kernel's own tape node exists, so a second differentiation cannot reach the input through it
 * (`Cannot compute gradient of y=f(x)` for tanh, sigmoid, exp, elu and softmax, and a silently
 * missing term for `pow(a, b)` in `b`). Or they call a kernel that has no gradient at all
 * (`Conv2DBackpropFilter`, `AvgPoolGrad`). Each replacement recomputes from the saved **inputs**
 * with ops that are themselves differentiable, so every order works.
 */
const TWICE_DIFFERENTIABLE: readonly GradConfig[] = [
  gradient('Exp', ['x'], (dy, [x]) => ({ x: () => tf.mul(dy, tf.exp(x as tf.Tensor)) })),
  gradient('Tanh', ['x'], (dy, [x]) => ({
    x: () => tf.mul(dy, tf.sub(1, tf.square(tf.tanh(x as tf.Tensor)))),
  })),
  gradient('Sigmoid', ['x'], (dy, [x]) => ({
    x: () => {
      const s = tf.sigmoid(x as tf.Tensor);
      return tf.mul(dy, tf.mul(s, tf.sub(1, s)));
    },
  })),
  gradient('Elu', ['x'], (dy, [x]) => ({
    // elu′(x) = 1 for x ≥ 0, eˣ below (the exponent is clipped at 0 so no branch overflows)
    x: () =>
      tf.where(
        tf.greaterEqual(x as tf.Tensor, 0),
        dy,
        tf.mul(dy, tf.exp(tf.minimum(x as tf.Tensor, 0))),
      ),
  })),
  gradient('Softmax', ['logits'], (dy, [logits], attrs) => ({
    logits: () => {
      const dim = attrs.dim as number;
      const y = tf.softmax(logits as tf.Tensor, dim);
      const dyTimesY = tf.mul(dy, y);
      return tf.sub(dyTimesY, tf.mul(tf.sum(dyTimesY, [dim], true), y));
    },
  })),
  gradient('Pow', ['a', 'b'], powGradient),
  gradient('Conv2DBackpropFilter', ['x', 'dy'], (ddw, [x, dy], attrs) => {
    // dW = Σ x ⋆ dy is bilinear in (x, dy): differentiating it is a forward and a backward conv
    const a = attrs as unknown as ConvAttrs;
    const x4 = x as tf.Tensor4D;
    const w = ddw as tf.Tensor4D;
    return {
      x: () =>
        tf.conv2dTranspose(dy as tf.Tensor4D, w, x4.shape, a.strides, a.pad, a.dimRoundingMode),
      dy: () => tf.conv2d(x4, w, a.strides, a.pad, a.dataFormat, 1, a.dimRoundingMode),
    };
  }),
  gradient('AvgPoolGrad', ['input'], (ddx, [input], attrs) => {
    // avgPoolGrad is linear in dy with adjoint avgPool; it does not depend on the input's values
    const a = attrs as unknown as PoolAttrs;
    return {
      dy: () => tf.avgPool(ddx as tf.Tensor4D, a.filterSize, a.strides, a.pad),
      input: () => tf.zerosLike(input as tf.Tensor),
    };
  }),
];

interface ConvAttrs {
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dataFormat: 'NHWC' | 'NCHW';
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
}

/**
 * `y = aᵇ`: `∂y/∂a = b·a^(b−1)`, `∂y/∂b = aᵇ·log a` (0 where `a ≤ 0`, as tfjs), each summed over
 * the axes `a` or `b` was broadcast along.
 */
function powGradient(dy: tf.Tensor, saved: tf.Tensor[]): Record<string, () => tf.Tensor> {
  const [a, b] = saved as [tf.Tensor, tf.Tensor];
  const shape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const reduceTo = (t: tf.Tensor, target: tf.Tensor) => {
    const axes = tf.broadcast_util.getReductionAxes(target.shape, shape);
    return tf.reshape(axes.length > 0 ? tf.sum(t, axes) : t, target.shape);
  };
  return {
    a: () => {
      const bf = tf.cast(b, 'float32');
      return reduceTo(tf.mul(dy, tf.mul(bf, tf.pow(a, tf.sub(bf, 1)))), a);
    },
    b: () => {
      const logA = tf.where(tf.greater(a, 0), tf.log(a), tf.zerosLike(a));
      return reduceTo(tf.mul(dy, tf.mul(tf.pow(a, b), logA)), b);
    },
  };
}

/** The kernel names whose gradients {@link withSecondOrder} replaces. */
export const SECOND_ORDER_KERNELS: readonly string[] = TWICE_DIFFERENTIABLE.map(
  (c) => c.kernelName,
);

let depth = 0;
let enabledForever = false;
let originals: Map<string, GradConfig | undefined> | undefined;

function enter(): void {
  if (depth === 0) {
    if (!hasGradients()) {
      throw new DescentError(
        'NO_GRADIENTS',
        'second-order gradients need tfjs gradient functions registered first: ' +
          'await ensureGradients() (or useBackend(), which calls it) before taking gradients of gradients.',
      );
    }
    originals = new Map(
      TWICE_DIFFERENTIABLE.map((c) => [c.kernelName, tf.getGradient(c.kernelName)]),
    );
    for (const config of TWICE_DIFFERENTIABLE) tf.registerGradient(config);
  }
  depth++;
}

function leave(): void {
  depth--;
  if (depth > 0 || !originals) return;
  for (const [kernelName, config] of originals) {
    if (config) tf.registerGradient(config);
    else tf.unregisterGradient(kernelName);
  }
  originals = undefined;
}

/**
 * Runs `fn` with gradients that are differentiable to **any order**, so `tf.grad` of a function
 * that itself calls `tf.grad` — a Hessian-vector product `∇(∇L·v)` — is exact through the ops
 * users write: `tf.tanh`, `tf.sigmoid`, `tf.exp`, `tf.elu`, `tf.softmax`, `tf.pow`, `tf.conv2d`
 * (its filter gradient), `tf.avgPool`, besides those tfjs already gets right (`relu`, `matMul`,
 * `softplus`, `erf`, `square`, `log`, …). It also routes descent's fused normalization
 * (`segmentNorm`, hence `@descent/norm`'s layer and group norm) through its composable tfjs-ops
 * path, whose backward is differentiable.
 *
 * tfjs 4.22's own gradients of `Tanh`, `Sigmoid`, `Exp`, `Elu`, `Softmax` and `Pow` compute from
 * the kernel's saved output, which a second differentiation cannot see through (it throws, or
 * for `pow(a, b)` in `b` silently drops a term); `Conv2DBackpropFilter` and `AvgPoolGrad` have
 * no gradient. Inside `fn` these kernels get gradients that recompute from their inputs
 * (`d tanh = 1 − tanh(x)²`, `d σ = σ(x)(1 − σ(x))`, …), which costs one more elementwise op per
 * kernel in the backward pass; outside, tfjs's own are restored, so first-order training keeps its
 * speed. Still first-order only, even inside: `tf.logSoftmax`, `tf.logSumExp` and
 * `tf.losses.softmaxCrossEntropy` (built with `tf.customGrad` on saved outputs — use core's
 * `softmaxCrossEntropy` and `safeLogSoftmax`), and `tf.maxPool` (`MaxPoolGrad` has no gradient).
 *
 * Scopes nest; the tape records which gradient a kernel has when the kernel runs, so the forward
 * pass must run inside too. If `fn` returns a promise, the scope lasts until it settles.
 *
 * @param fn - the computation (forward pass and every differentiation).
 * @returns what `fn` returns.
 * @throws DescentError `NO_GRADIENTS` when tfjs has no gradient functions yet (call
 *   `await ensureGradients()` first); whatever `fn` throws.
 * @example
 * ```ts
 * const d2 = withSecondOrder(() =>
 *   tf.grad((x) => tf.sum(tf.grad((y) => tf.sum(tf.tanh(y)))(x)))(tf.tensor([0.5])),
 * ); // −2·tanh(0.5)·(1 − tanh²(0.5))
 * ```
 * @see R. Sun, Optimization for Deep Learning: Theory and Algorithms (2019), §6.1 (the Hessian
 *   spectrum needs exact Hessian-vector products).
 */
export function withSecondOrder<T>(fn: () => T): T {
  if (typeof fn !== 'function') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `withSecondOrder: fn must be a function (the computation to run), got ${describeValue(fn)}.`,
    );
  }
  enter();
  let result: T;
  try {
    result = fn();
  } catch (e) {
    leave();
    throw e;
  }
  if (isThenable(result)) {
    return Promise.resolve(result).finally(leave) as T;
  }
  leave();
  return result;
}

/**
 * Turns on the gradients of {@link withSecondOrder} for the rest of the program (or until
 * {@link disableSecondOrder}): for code that takes gradients of gradients outside a scope.
 * Idempotent. First-order training then pays the recomputation noted there.
 *
 * @throws DescentError `NO_GRADIENTS` when tfjs has no gradient functions yet.
 * @example
 * ```ts
 * await ensureGradients();
 * enableSecondOrder();
 * const hv = tf.grad((x) => tf.sum(tf.mul(tf.grad(loss)(x), v)))(x);
 * ```
 */
export function enableSecondOrder(): void {
  if (enabledForever) return;
  enter();
  enabledForever = true;
}

/**
 * Undoes {@link enableSecondOrder} (scopes of {@link withSecondOrder} still open keep theirs).
 * Idempotent.
 *
 * @example
 * ```ts
 * disableSecondOrder(); // tfjs's own gradients again
 * ```
 */
export function disableSecondOrder(): void {
  if (!enabledForever) return;
  enabledForever = false;
  leave();
}

/**
 * Whether gradients of gradients are currently exact: inside {@link withSecondOrder} or after
 * {@link enableSecondOrder}. Fused kernels whose backward is first-order only check this and take
 * their composable path.
 *
 * @example
 * ```ts
 * withSecondOrder(() => secondOrderActive()); // true
 * ```
 */
export function secondOrderActive(): boolean {
  return depth > 0;
}

/**
 * Whether what runs now may be differentiated twice, so that a kernel whose backward is
 * first-order only must take its composable, any-order path. True inside {@link withSecondOrder}
 * or after {@link enableSecondOrder}, and also whenever tfjs records a gradient tape nested in
 * another one: `tf.grad(tf.grad(f))` runs `f` with two tapes open (tfjs's engine counts them in
 * `state.gradientDepth`, one per `tf.grad`/`tf.grads`/`variableGrads` under way), while first-order
 * training — one `optimizer.minimize` or one `tf.grads` — runs its forward pass with at most one.
 *
 * Math: for a tape depth `d` (nested gradient computations open), a first-order-only backward is
 * exact when `d ≤ 1` and the scope is off; otherwise the composable path is taken.
 *
 * @returns `true` when a gradient of a gradient may be taken of the ops run now; `false` on the
 *   first-order path (plain forward passes and single gradients).
 * @example
 * ```ts
 * tf.grad((x) => { gradientOfGradient(); return tf.sum(x); })(tf.ones([2])); // false inside
 * tf.grad((x) => tf.sum(tf.grad((y) => { gradientOfGradient(); return tf.sum(y); })(x))); // true
 * ```
 * @see B. A. Pearlmutter, Fast exact multiplication by the Hessian, Neural Computation 1994
 *   (double backprop for Hessian-vector products).
 */
export function gradientOfGradient(): boolean {
  return depth > 0 || tf.engine().state.gradientDepth > 1;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
