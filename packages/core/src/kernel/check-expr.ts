import { DescentError } from '../errors/descent-error';
import { describeValue } from '../validate/describe-value';
import type { BinaryOp, BoolExpr, CompareOp, Expr, UnaryOp, ValueExpr } from './expr';

const UNARY: readonly UnaryOp[] = ['neg', 'abs', 'sqrt'];
const BINARY: readonly BinaryOp[] = ['add', 'sub', 'mul', 'div', 'min', 'max'];
const COMPARE: readonly CompareOp[] = ['gt', 'lt', 'ge', 'le'];

/**
 * Asserts `value` is one node of the expression language with well-formed fields (its operands are
 * only checked to be objects; {@link checkExpr} walks the whole graph). Constants must be finite:
 * the generated WGSL and WASM have no literal for NaN or ±Infinity.
 *
 * @throws DescentError `BAD_ARGUMENT` naming `name` and what it got, `NON_FINITE` for a constant
 *   that is NaN or ±Infinity.
 */
export function checkNode(name: string, value: unknown, want: 'value' | 'bool'): void {
  const node = value as Partial<Record<string, unknown>> | null;
  const kind = typeof node === 'object' && node !== null ? node.kind : undefined;
  if (want === 'bool') {
    if (kind !== 'compare') throw notA(name, 'comparison (ops.gt, lt, ge, le)', value);
  } else if (!['ref', 'const', 'unary', 'binary', 'select'].includes(kind as string)) {
    throw notA(name, 'value expression (a ref, a number or an ops node)', value);
  }
  const n = node as Record<string, unknown>;
  switch (kind) {
    case 'ref':
      if (typeof n.name !== 'string' || n.name === '') throw notA(`${name}.name`, 'name', n.name);
      return;
    case 'const':
      checkConstant(`${name}.value`, n.value);
      return;
    case 'unary':
      checkOp(name, n.op, UNARY);
      return;
    case 'binary':
      checkOp(name, n.op, BINARY);
      return;
    case 'compare':
      checkOp(name, n.op, COMPARE);
      return;
    default:
      return;
  }
}

/**
 * Asserts every node reachable from `roots` is well formed ({@link checkNode}), each operand of
 * the kind its parent needs; shared nodes are checked once.
 */
export function checkExpr(name: string, roots: Readonly<Record<string, unknown>>): void {
  const seen = new Set<unknown>();
  const visit = (label: string, node: unknown, want: 'value' | 'bool'): void => {
    if (seen.has(node)) return;
    checkNode(label, node, want);
    seen.add(node);
    for (const [field, child, kind] of operands(node as Expr)) {
      visit(`${label}.${field}`, child, kind);
    }
  };
  for (const key of Object.keys(roots)) visit(`${name}.${key}`, roots[key], 'value');
}

/** A number literal of the language: finite. */
export function checkConstant(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number') throw notA(name, 'number', value);
  if (!Number.isFinite(value)) {
    throw new DescentError(
      'NON_FINITE',
      `${name} must be a finite number (generated kernels have no literal for it), got ${value}.`,
    );
  }
}

function operands(node: Expr): [string, unknown, 'value' | 'bool'][] {
  switch (node.kind) {
    case 'unary':
      return [['x', node.x, 'value']];
    case 'binary':
    case 'compare':
      return [
        ['a', node.a, 'value'],
        ['b', node.b, 'value'],
      ];
    case 'select':
      return [
        ['cond', node.cond as BoolExpr, 'bool'],
        ['whenTrue', node.whenTrue as ValueExpr, 'value'],
        ['whenFalse', node.whenFalse as ValueExpr, 'value'],
      ];
    default:
      return [];
  }
}

function checkOp(name: string, op: unknown, allowed: readonly string[]): void {
  if (!allowed.includes(op as string)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name}.op must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${describeValue(op)}.`,
    );
  }
}

function notA(name: string, what: string, value: unknown): DescentError {
  const article = /^[aeiou]/.test(what) ? 'an' : 'a';
  return new DescentError(
    'BAD_ARGUMENT',
    `${name} must be ${article} ${what}, got ${describeValue(value)}.`,
  );
}
