import { checkConstant, checkNode } from './check-expr';

/**
 * The element-wise expression language of fused kernels. A kernel's update rule is written once
 * as a small DAG of these nodes; code generators turn it into WASM SIMD (`f32x4`) and WGSL.
 * References to a buffer mean its value *before* the update; reuse a node to use a new value.
 */
export type Expr = ValueExpr | BoolExpr;

/** A float32 element-wise value. */
export type ValueExpr =
  | { readonly kind: 'ref'; readonly name: string }
  | { readonly kind: 'const'; readonly value: number }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly x: ValueExpr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly a: ValueExpr; readonly b: ValueExpr }
  | {
      readonly kind: 'select';
      readonly cond: BoolExpr;
      readonly whenTrue: ValueExpr;
      readonly whenFalse: ValueExpr;
    };

/** An element-wise comparison. */
export type BoolExpr = {
  readonly kind: 'compare';
  readonly op: CompareOp;
  readonly a: ValueExpr;
  readonly b: ValueExpr;
};

/** Element-wise unary operations: `−x`, `|x|`, `√x`. */
export type UnaryOp = 'neg' | 'abs' | 'sqrt';
/** Element-wise binary operations: `a + b`, `a − b`, `a·b`, `a / b`, `min(a, b)`, `max(a, b)`. */
export type BinaryOp = 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max';
/** Element-wise comparisons: `a > b`, `a < b`, `a ≥ b`, `a ≤ b`. */
export type CompareOp = 'gt' | 'lt' | 'ge' | 'le';

/** Anything a builder accepts: a node or a number literal. */
export type Operand = ValueExpr | number;

const lift = (name: string, x: Operand): ValueExpr => {
  if (typeof x === 'number') {
    checkConstant(name, x);
    return { kind: 'const', value: x };
  }
  checkNode(name, x, 'value');
  return x;
};
const binary =
  (op: BinaryOp) =>
  (a: Operand, b: Operand): ValueExpr => ({
    kind: 'binary',
    op,
    a: lift(`ops.${op}: a`, a),
    b: lift(`ops.${op}: b`, b),
  });
const unary =
  (op: UnaryOp) =>
  (x: Operand): ValueExpr => ({ kind: 'unary', op, x: lift(`ops.${op}: x`, x) });
const compare =
  (op: CompareOp) =>
  (a: Operand, b: Operand): BoolExpr => ({
    kind: 'compare',
    op,
    a: lift(`ops.${op}: a`, a),
    b: lift(`ops.${op}: b`, b),
  });

/**
 * Builders of the expression language, passed to a kernel's `update`. Each checks its operands
 * (nodes, or finite numbers) and throws a `DescentError` (`BAD_ARGUMENT`, `NON_FINITE`) naming
 * the builder and the operand.
 */
export const ops = {
  /** `a + b` */
  add: binary('add'),
  /** `a − b` */
  sub: binary('sub'),
  /** `a · b` */
  mul: binary('mul'),
  /** `a / b` */
  div: binary('div'),
  /** `min(a, b)` (NaN if either is NaN on wasm; unspecified on WebGPU) */
  min: binary('min'),
  /** `max(a, b)` (NaN handling as `min`) */
  max: binary('max'),
  /** `−x` */
  neg: unary('neg'),
  /** `|x|` */
  abs: unary('abs'),
  /** `√x` (NaN for x < 0) */
  sqrt: unary('sqrt'),
  /** `a > b` */
  gt: compare('gt'),
  /** `a < b` */
  lt: compare('lt'),
  /** `a ≥ b` */
  ge: compare('ge'),
  /** `a ≤ b` */
  le: compare('le'),
  /** `cond ? then : otherwise`, element-wise. */
  select: (cond: BoolExpr, whenTrue: Operand, whenFalse: Operand): ValueExpr => {
    checkNode('ops.select: cond', cond, 'bool');
    return {
      kind: 'select',
      cond,
      whenTrue: lift('ops.select: whenTrue', whenTrue),
      whenFalse: lift('ops.select: whenFalse', whenFalse),
    };
  },
  /** A literal (finite: the generated code has no literal for NaN or ±Infinity). */
  constant: (value: number): ValueExpr => {
    checkConstant('ops.constant: value', value);
    return { kind: 'const', value };
  },
} as const;

/** The type of {@link ops}, the second argument of a kernel's `update`. */
export type Ops = typeof ops;

/**
 * Orders the non-leaf nodes reachable from `roots` so each comes after its operands; every
 * shared node appears once (generators give each one local/`let`).
 */
export function topologicalOrder(roots: readonly Expr[]): Expr[] {
  const seen = new Set<Expr>();
  const order: Expr[] = [];
  const visit = (node: Expr): void => {
    if (seen.has(node) || node.kind === 'ref' || node.kind === 'const') return;
    seen.add(node);
    for (const child of children(node)) visit(child);
    order.push(node);
  };
  for (const root of roots) visit(root);
  return order;
}

/** Direct operands of a node. */
export function children(node: Expr): Expr[] {
  switch (node.kind) {
    case 'unary':
      return [node.x];
    case 'binary':
    case 'compare':
      return [node.a, node.b];
    case 'select':
      return [node.cond, node.whenTrue, node.whenFalse];
    default:
      return [];
  }
}
