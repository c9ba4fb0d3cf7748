import { type Expr, topologicalOrder } from './expr';
import type { KernelSignature } from './kernel-signature';

/** Threads per workgroup of every generated element-wise kernel. */
export const WORKGROUP_SIZE = 64;

/** Elements per thread: 4 (`vec4<f32>`) when the size is a multiple of 4, else 1. */
export type WgslWidth = 1 | 4;

/**
 * Generates the WGSL compute shader of an element-wise kernel: one thread per element (`width` 1)
 * or per four elements as a `vec4<f32>` (`width` 4, for sizes divisible by 4 — fewer, wider
 * threads, as tfjs's own element-wise shaders do); in-place buffers bound `read_write`, inputs
 * `read`, one-element scalar tensors `read` (element 0, broadcast), hyperparameters in one uniform
 * struct (so changing a learning rate never recompiles). Bindings: inouts, inputs, scalars, then
 * the uniforms; `u.n` counts threads' items (elements / width).
 */
export function generateWgsl(
  signature: KernelSignature,
  outputs: Record<string, Expr>,
  width: WgslWidth = 1,
): string {
  const { inouts, inputs, scalars, uniforms } = signature;
  const item = width === 4 ? 'vec4<f32>' : 'f32';
  const splat = (scalar: string) => (width === 4 ? `vec4<f32>(${scalar})` : scalar);
  const order = topologicalOrder(inouts.map((name) => outputs[name] as Expr));
  const names = new Map<Expr, string>(order.map((node, i) => [node, `t${i}`]));
  const operand = (node: Expr): string => {
    if (node.kind === 'ref')
      return inouts.includes(node.name) || inputs.includes(node.name)
        ? `r_${node.name}`
        : scalars.includes(node.name)
          ? splat(`s_${node.name}`)
          : splat(`u.u_${node.name}`);
    if (node.kind === 'const') return splat(`${formatFloat(node.value)}f`);
    return names.get(node) as string;
  };
  const body = order.map((node) => `  let ${names.get(node)} = ${expression(node, operand)};`);
  const buffers = [
    ...inouts.map(
      (name, i) => `@group(0) @binding(${i}) var<storage, read_write> b_${name}: array<${item}>;`,
    ),
    ...inputs.map(
      (name, i) =>
        `@group(0) @binding(${inouts.length + i}) var<storage, read> b_${name}: array<${item}>;`,
    ),
    ...scalars.map(
      (name, i) =>
        `@group(0) @binding(${inouts.length + inputs.length + i}) var<storage, read> b_${name}: array<f32>;`,
    ),
  ];
  return [
    `struct Uniforms { n: u32, ${uniforms.map((name) => `u_${name}: f32, `).join('')}}`,
    ...buffers,
    `@group(0) @binding(${inouts.length + inputs.length + scalars.length}) var<uniform> u: Uniforms;`,
    `@compute @workgroup_size(${WORKGROUP_SIZE})`,
    'fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {',
    `  let i = gid.x + gid.y * groups.x * ${WORKGROUP_SIZE}u;`,
    '  if (i >= u.n) { return; }',
    ...[...inouts, ...inputs].map((name) => `  let r_${name} = b_${name}[i];`),
    ...scalars.map((name) => `  let s_${name} = b_${name}[0];`),
    ...body,
    ...inouts.map((name) => `  b_${name}[i] = ${operand(outputs[name] as Expr)};`),
    '}',
  ].join('\n');
}

function expression(node: Expr, operand: (node: Expr) => string): string {
  switch (node.kind) {
    case 'unary':
      return node.op === 'neg' ? `-(${operand(node.x)})` : `${node.op}(${operand(node.x)})`;
    case 'binary': {
      const symbol = { add: '+', sub: '-', mul: '*', div: '/' }[node.op as 'add'];
      return symbol
        ? `${operand(node.a)} ${symbol} ${operand(node.b)}`
        : `${node.op}(${operand(node.a)}, ${operand(node.b)})`;
    }
    case 'compare': {
      const symbol = { gt: '>', lt: '<', ge: '>=', le: '<=' }[node.op];
      return `${operand(node.a)} ${symbol} ${operand(node.b)}`;
    }
    case 'select':
      return `select(${operand(node.whenFalse)}, ${operand(node.whenTrue)}, ${operand(node.cond)})`;
    default:
      return operand(node);
  }
}

function formatFloat(value: number): string {
  const text = String(Math.fround(value));
  return /[.e]/.test(text) ? text : `${text}.0`;
}
