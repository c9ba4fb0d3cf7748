import { f32Ops, f32x4Ops, op } from '../wasm/opcodes';
import { LocalAllocator } from '../wasm/local-allocator';
import { loopOver } from '../wasm/loop-over';
import {
  encodeModule,
  F32,
  I32,
  V128,
  type ValType,
  type WasmFunction,
} from '../wasm/wasm-encoder';
import { type Expr, topologicalOrder } from './expr';
import type { KernelSignature } from './kernel-signature';

/** Name of the exported function that runs the kernel once (see {@link generateWasm}). */
export const WASM_ENTRY = 'run';

/** Name of the exported function that runs the kernel once per record of a table. */
export const WASM_TABLE_ENTRY = 'runTable';

/**
 * Bytes of one record of a `runTable` table: the arguments of one `run` call, four bytes each —
 * `n`, the buffer and scalar offsets (i32), then the hyperparameters (f32).
 */
export function tableRecordBytes(signature: KernelSignature): number {
  const { inouts, inputs, scalars, uniforms } = signature;
  return 4 * (1 + inouts.length + inputs.length + scalars.length + uniforms.length);
}

/**
 * Generates a WebAssembly module for an element-wise kernel that works in place on the tfjs wasm
 * backend's own memory (imported as `env.memory`; the module has no data segments and no stack).
 *
 * `run(n, ptr₀…ptr_k, s₀…s_j, u₀…u_m)`: `n` elements, byte offsets of the inouts then the
 * inputs, byte offsets of the one-element scalar tensors (loaded once, before the loops), then the
 * float32 hyperparameters. The main loop handles four elements per iteration with `f32x4`
 * SIMD; the last `n mod 4` elements run the same expression in scalar `f32`.
 *
 * `runTable(table, rows)`: `run` once per record of a table in the same memory, each record
 * holding one call's arguments in that order (see {@link tableRecordBytes}) — many variables'
 * updates for the price of one call from JavaScript.
 */
export function generateWasm(
  signature: KernelSignature,
  outputs: Record<string, Expr>,
  sharedMemory: boolean,
): Uint8Array<ArrayBuffer> {
  const buffers = [...signature.inouts, ...signature.inputs];
  const order = topologicalOrder(signature.inouts.map((name) => outputs[name] as Expr));
  const constants = [...new Set(order.flatMap((node) => constantsOf(node)))];

  const { scalars, uniforms } = signature;
  const params: ValType[] = [
    I32,
    ...buffers.map(() => I32),
    ...scalars.map(() => I32),
    ...uniforms.map(() => F32),
  ];
  const locals = new LocalAllocator(params.length);
  const index = locals.add(I32);
  const end = locals.add(I32);
  const ptr = (name: string) => 1 + buffers.indexOf(name);
  const scalarPtr = (name: string) => 1 + buffers.length + scalars.indexOf(name);
  // Every broadcast value (uniform or loaded scalar) as an f32 local and its f32x4 splat.
  const scalarValue = new Map<string, number>([
    ...uniforms.map((name, i): [string, number] => [name, 1 + buffers.length + scalars.length + i]),
    ...scalars.map((name): [string, number] => [name, locals.add(F32)]),
  ]);
  const broadcast = [...scalars, ...uniforms];
  const splatUniform = new Map(broadcast.map((name) => [name, locals.add(V128)]));
  const splatConst = new Map(constants.map((value) => [value, locals.add(V128)]));
  const vectorLane = lane(locals, buffers, order, V128, () => V128);
  const scalarLane = lane(locals, buffers, order, F32, (node) =>
    node.kind === 'compare' ? I32 : F32,
  );

  const preamble = [
    ...scalars.flatMap((name) => [
      ...op.localGet(scalarPtr(name)),
      ...op.f32Load,
      ...op.localSet(scalarValue.get(name) as number),
    ]),
    ...broadcast.flatMap((name) => [
      ...op.localGet(scalarValue.get(name) as number),
      ...op.f32x4Splat,
      ...op.localSet(splatUniform.get(name) as number),
    ]),
    ...constants.flatMap((value) => [
      ...op.f32Const(value),
      ...op.f32x4Splat,
      ...op.localSet(splatConst.get(value) as number),
    ]),
  ];
  const leafSimd = (node: Expr): number[] => {
    if (node.kind === 'const') return op.localGet(splatConst.get(node.value) as number);
    if (node.kind === 'ref' && !buffers.includes(node.name))
      return op.localGet(splatUniform.get(node.name) as number);
    return vectorLane.operand(node);
  };
  const leafScalar = (node: Expr): number[] => {
    if (node.kind === 'const') return op.f32Const(node.value);
    if (node.kind === 'ref' && !buffers.includes(node.name))
      return op.localGet(scalarValue.get(node.name) as number);
    return scalarLane.operand(node);
  };
  const simdLoop = loopOver(index, end, 16, [
    ...buffers.flatMap((name) => [
      ...address(ptr(name), index),
      ...op.v128Load,
      ...op.localSet(vectorLane.bufferLocal(name)),
    ]),
    ...order.flatMap((node) => [
      ...emitNode(node, leafSimd, f32x4Ops, op.v128Bitselect),
      ...op.localSet(vectorLane.nodeLocal(node)),
    ]),
    ...signature.inouts.flatMap((name) => [
      ...address(ptr(name), index),
      ...leafSimd(outputs[name] as Expr),
      ...op.v128Store,
    ]),
  ]);
  const scalarLoop = loopOver(index, end, 4, [
    ...buffers.flatMap((name) => [
      ...address(ptr(name), index),
      ...op.f32Load,
      ...op.localSet(scalarLane.bufferLocal(name)),
    ]),
    ...order.flatMap((node) => [
      ...emitNode(node, leafScalar, f32Ops, op.select),
      ...op.localSet(scalarLane.nodeLocal(node)),
    ]),
    ...signature.inouts.flatMap((name) => [
      ...address(ptr(name), index),
      ...leafScalar(outputs[name] as Expr),
      ...op.f32Store,
    ]),
  ]);
  const body = [
    ...preamble,
    // end = (n & ~3) · 4 bytes: the SIMD part
    ...op.localGet(0),
    ...op.i32Const(-4),
    ...op.i32And,
    ...op.i32Const(2),
    ...op.i32Shl,
    ...op.localSet(end),
    ...simdLoop,
    // end = n · 4 bytes: the scalar tail
    ...op.localGet(0),
    ...op.i32Const(2),
    ...op.i32Shl,
    ...op.localSet(end),
    ...scalarLoop,
  ];
  return encodeModule(
    [
      { exportName: WASM_ENTRY, params, results: [], locals: locals.types, body },
      tableFunction(params),
    ],
    sharedMemory,
  );
}

/** `runTable(table, rows)`: loads each record's fields as the arguments of `run` (function 0). */
function tableFunction(runParams: readonly ValType[]): WasmFunction {
  const recordBytes = 4 * runParams.length;
  const locals = new LocalAllocator(2);
  const record = locals.add(I32);
  const end = locals.add(I32);
  const call = [
    ...runParams.flatMap((type, i) => [
      ...op.localGet(record),
      ...(type === F32 ? op.f32LoadAt(4 * i) : op.i32LoadAt(4 * i)),
    ]),
    ...op.call(0),
  ];
  const body = [
    ...op.localGet(0),
    ...op.localSet(record),
    // end = table + rows · recordBytes
    ...op.localGet(0),
    ...op.localGet(1),
    ...op.i32Const(recordBytes),
    ...op.i32Mul,
    ...op.i32Add,
    ...op.localSet(end),
    ...loopOver(record, end, recordBytes, call),
  ];
  return {
    exportName: WASM_TABLE_ENTRY,
    params: [I32, I32],
    results: [],
    locals: locals.types,
    body,
  };
}

/** Locals of one lane width: the loaded value of each buffer and the value of each node. */
function lane(
  locals: LocalAllocator,
  buffers: readonly string[],
  order: readonly Expr[],
  valueType: ValType,
  nodeType: (node: Expr) => ValType,
) {
  const bufferLocals = new Map(buffers.map((name) => [name, locals.add(valueType)]));
  const nodeLocals = new Map(order.map((node) => [node, locals.add(nodeType(node))]));
  return {
    bufferLocal: (name: string) => bufferLocals.get(name) as number,
    nodeLocal: (node: Expr) => nodeLocals.get(node) as number,
    operand: (node: Expr): number[] =>
      node.kind === 'ref'
        ? op.localGet(bufferLocals.get(node.name) as number)
        : op.localGet(nodeLocals.get(node) as number),
  };
}

function emitNode(
  node: Expr,
  operand: (node: Expr) => number[],
  codes: Record<string, readonly number[]>,
  selectCode: readonly number[],
): number[] {
  const get = operand;
  switch (node.kind) {
    case 'unary':
      return [...get(node.x), ...(codes[node.op] as number[])];
    case 'binary':
    case 'compare':
      return [...get(node.a), ...get(node.b), ...(codes[node.op] as number[])];
    case 'select':
      return [...get(node.whenTrue), ...get(node.whenFalse), ...get(node.cond), ...selectCode];
    default:
      return operand(node);
  }
}

function address(pointerLocal: number, index: number): number[] {
  return [...op.localGet(pointerLocal), ...op.localGet(index), ...op.i32Add];
}

function constantsOf(node: Expr): number[] {
  const kids =
    node.kind === 'unary'
      ? [node.x]
      : node.kind === 'select'
        ? [node.whenTrue, node.whenFalse]
        : 'a' in node
          ? [node.a, node.b]
          : [];
  return kids.filter((k) => k.kind === 'const').map((k) => (k as { value: number }).value);
}
