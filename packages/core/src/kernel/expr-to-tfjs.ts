import * as tf from '@tensorflow/tfjs-core';
import { DescentError } from '../errors/descent-error';
import { formatShape } from '../validate/format-shape';
import { checkOptions } from '../validate/check-options';
import { describeValue } from '../validate/describe-value';
import { checkTensor, sameShape } from '../validate/tensor-checks';
import { checkExpr } from './check-expr';
import { type Expr, topologicalOrder, type ValueExpr } from './expr';

/** Options of {@link evaluateExpr}. */
export interface EvaluateExprOptions {
  /**
   * Shape every output is broadcast to, e.g. the shape of a kernel's buffers (an output that reads
   * only hyperparameters and constants would otherwise be a scalar). Default: each output keeps
   * the broadcast shape of what it reads.
   */
  shape?: readonly number[];
}

const BINARY = {
  add: tf.add,
  sub: tf.sub,
  mul: tf.mul,
  div: tf.div,
  min: tf.minimum,
  max: tf.maximum,
} as const;
const UNARY = { neg: tf.neg, abs: tf.abs, sqrt: tf.sqrt } as const;
const COMPARE = {
  gt: tf.greater,
  lt: tf.less,
  ge: tf.greaterEqual,
  le: tf.lessEqual,
} as const;

/**
 * Evaluates an update rule of the expression language with tfjs ops on the active backend: what a
 * fused kernel computes, as float32 tensors (the path of `defineKernel` kernels on cpu, and their
 * fallback elsewhere).
 *
 * `values` holds a value for every `ref` the outputs read: a tensor (a buffer; a one-element
 * tensor broadcasts as a scalar does, so pass device scalars reshaped to shape `[]`) or a number
 * (a hyperparameter, rounded to float32 as the generated code receives it). Each node is evaluated
 * once however many outputs share it (nodes are told apart by identity); `select` evaluates both
 * branches and picks element-wise (`tf.where`), comparisons with NaN are false, and `min`/`max`
 * follow `tf.minimum`/`tf.maximum`.
 *
 * Returns a new tensor for every output (never one of `values`, even for an output that is a bare
 * `ref`, and never the same for two outputs), which the caller disposes; nothing else is left
 * allocated.
 *
 * @throws DescentError `BAD_ARGUMENT` when an output reads a `ref` that `values` lacks, an output
 * is no well-formed expression, a value is neither a tensor nor a number, or `options.shape` is no
 * list of non-negative integers; `DISPOSED` for a disposed tensor in `values`; `NON_FINITE` for a
 * constant node that is not finite; `UNKNOWN_PARAM` for an unknown option; `SHAPE_MISMATCH` when
 * an output cannot broadcast to `options.shape`. Everything but the last is checked before any
 * tensor is made.
 *
 * @example
 * ```ts
 * const { p } = evaluateExpr(
 *   { p: ops.sub(p, ops.mul(alpha, g)) },        // p, g, alpha: { kind: 'ref', name }
 *   { p: weights, g: grad, alpha: 0.1 },
 * );
 * ```
 */
export function evaluateExpr<K extends string>(
  outputs: Readonly<Record<K, ValueExpr>>,
  values: Readonly<Record<string, tf.Tensor | number>>,
  options: EvaluateExprOptions = {},
): Record<K, tf.Tensor> {
  checkArguments(outputs, values, options);
  const names = Object.keys(outputs) as K[];
  const roots = names.map((name) => outputs[name] as Expr);
  return tf.tidy(() => {
    const leaves = new Map<string, tf.Tensor>();
    const constants = new Map<number, tf.Tensor>();
    const computed = new Map<Expr, tf.Tensor>();
    const tensorOf = (node: Expr): tf.Tensor => {
      if (node.kind === 'const') {
        let t = constants.get(node.value);
        if (!t) {
          t = tf.scalar(node.value, 'float32');
          constants.set(node.value, t);
        }
        return t;
      }
      if (node.kind === 'ref') return leafOf(node.name);
      return computed.get(node) as tf.Tensor;
    };
    const leafOf = (name: string): tf.Tensor => {
      let t = leaves.get(name);
      if (!t) {
        const value = Object.hasOwn(values, name) ? values[name] : undefined;
        if (typeof value === 'number') t = tf.scalar(value, 'float32');
        else if (value !== undefined) t = value;
        else {
          throw new DescentError(
            'BAD_ARGUMENT',
            `evaluateExpr: the expression reads ${JSON.stringify(name)}, which has no value (given: ${Object.keys(values).join(', ') || 'none'}).`,
          );
        }
        leaves.set(name, t);
      }
      return t;
    };
    for (const node of topologicalOrder(roots)) computed.set(node, evaluateNode(node, tensorOf));
    const result = {} as Record<K, tf.Tensor>;
    const returned = new Set<tf.Tensor>();
    names.forEach((name, i) => {
      const root = roots[i] as Expr;
      let t = tensorOf(root);
      if (options.shape && !sameShape(t.shape, options.shape)) {
        t = broadcast(name, t, options.shape);
      } else if (root.kind === 'ref' || root.kind === 'const' || returned.has(t)) {
        // The caller owns every output: a leaf is not its own, nor a node another output is.
        t = tf.clone(t);
      }
      returned.add(t);
      result[name] = t;
    });
    return result;
  });
}

/** The checks of {@link evaluateExpr}'s arguments, before any tensor is made. */
function checkArguments(outputs: unknown, values: unknown, options: unknown): void {
  checkOptions(
    'evaluateExpr: outputs',
    outputs,
    Object.keys(outputs ?? {}),
    `evaluateExpr: outputs must be a plain object of expressions, got ${describeValue(outputs)}.`,
  );
  checkExpr('evaluateExpr: outputs', outputs as Record<string, unknown>);
  checkOptions(
    'evaluateExpr: values',
    values,
    Object.keys(values ?? {}),
    `evaluateExpr: values must be a plain object of tensors and numbers, got ${describeValue(values)}.`,
  );
  for (const [key, value] of Object.entries(values)) {
    if (typeof value !== 'number') checkTensor(`evaluateExpr: values.${key}`, value);
  }
  checkOptions('evaluateExpr', options, ['shape']);
  const shape = (options as EvaluateExprOptions).shape;
  const shapeOk =
    shape === undefined ||
    (Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0));
  if (!shapeOk) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `evaluateExpr: options.shape must be a list of non-negative integers, got ${describeValue(shape)}.`,
    );
  }
}

function evaluateNode(node: Expr, tensorOf: (node: Expr) => tf.Tensor): tf.Tensor {
  switch (node.kind) {
    case 'unary':
      return UNARY[node.op](tensorOf(node.x));
    case 'binary':
      return BINARY[node.op](tensorOf(node.a), tensorOf(node.b));
    case 'compare':
      return COMPARE[node.op](tensorOf(node.a), tensorOf(node.b));
    case 'select':
      return tf.where(tensorOf(node.cond), tensorOf(node.whenTrue), tensorOf(node.whenFalse));
    default:
      return tensorOf(node);
  }
}

function broadcast(name: string, t: tf.Tensor, shape: readonly number[]): tf.Tensor {
  const fits =
    t.rank <= shape.length &&
    t.shape.every((d, i) => d === 1 || d === shape[shape.length - t.rank + i]);
  if (!fits) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `evaluateExpr: output ${name} has shape ${formatShape(t.shape)}, which does not broadcast to ${formatShape(shape)}.`,
    );
  }
  return tf.broadcastTo(t, [...shape]);
}
