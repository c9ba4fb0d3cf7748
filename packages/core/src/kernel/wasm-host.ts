import type * as tf from '@tensorflow/tfjs-core';
import type { Expr } from './expr';
import type { KernelSignature } from './kernel-signature';
import { giveVariableOwnBuffer, type WasmBackendInternals } from './tfjs-internals';
import { generateWasm, WASM_ENTRY, WASM_TABLE_ENTRY } from './wasm-codegen';

type Entry = (...args: number[]) => void;

/** What the wasm backend keeps per tensor. */
export type TensorData = NonNullable<ReturnType<WasmBackendInternals['dataIdMap']['get']>>;

/** The two exports of a generated module (see `generateWasm`). */
export interface WasmEntries {
  run: Entry;
  runTable: (table: number, rows: number) => void;
}

/** Compiled kernels per tfjs wasm memory (a new backend instance has a new memory). */
const instances = new WeakMap<WebAssembly.Memory, Map<string, WasmEntries>>();

/**
 * Runs an element-wise kernel in place on the tfjs wasm backend's heap: parameter, state and
 * gradient tensors are addressed at their heap offsets, nothing is copied. A variable whose buffer
 * is shared with another tensor first gets a private copy (one memcpy). Returns false, having
 * changed nothing, when some tensor does not live on this backend (the caller runs the reference).
 */
export function runWasmKernel(
  backend: WasmBackendInternals,
  name: string,
  signature: KernelSignature,
  outputs: Record<string, Expr>,
  inouts: readonly tf.Variable[],
  inputs: readonly tf.Tensor[],
  scalars: readonly tf.Tensor[],
  uniforms: readonly number[],
): boolean {
  const data = backend.dataIdMap;
  const args: number[] = [inouts[0]!.size];
  let shared = false;
  for (const t of inouts) {
    const info = data.get(t.dataId);
    if (info === undefined) return false;
    if (info.refCount > 1) shared = true;
    args.push(info.memoryOffset);
  }
  for (const t of inputs) {
    const info = data.get(t.dataId);
    if (info === undefined) return false;
    args.push(info.memoryOffset);
  }
  for (const t of scalars) {
    const info = data.get(t.dataId);
    if (info === undefined) return false;
    args.push(info.memoryOffset);
  }
  if (shared) {
    inouts.forEach((variable, i) => {
      if (detachIfShared(backend, variable)) {
        args[1 + i] = data.get(variable.dataId)!.memoryOffset;
      }
    });
  }
  const { run } = compiledWasm(backend, name, signature, outputs);
  if (args[0] === 0) return true;
  for (const u of uniforms) args.push(u);
  run(...args);
  for (const variable of inouts) {
    forgetDerivedData(backend, data.get(variable.dataId)!, variable.size);
  }
  return true;
}

/**
 * Drops what the backend's C++ side derived from a tensor's old values: XNNPACK operators (e.g.
 * of `FusedMatMul` and `Conv2D`) pack a weight tensor once and reuse the packing for as long as
 * the tensor id lives, so an in-place write must look like a new tensor to them. Re-registering
 * the id (same memory, same size) is what tfjs does for a tensor it frees and makes anew.
 */
export function forgetDerivedData(
  backend: WasmBackendInternals,
  info: TensorData,
  size: number,
): void {
  backend.wasm.tfjs.disposeData(info.id);
  backend.wasm.tfjs.registerTensor(info.id, size, info.memoryOffset);
}

/** The kernel's module instantiated on this backend's memory (once per memory and kernel). */
export function compiledWasm(
  backend: WasmBackendInternals,
  name: string,
  signature: KernelSignature,
  outputs: Record<string, Expr>,
): WasmEntries {
  const memory = backend.wasm.asm!.memory!;
  let kernels = instances.get(memory);
  if (!kernels) {
    kernels = new Map();
    instances.set(memory, kernels);
  }
  let entries = kernels.get(name);
  if (!entries) {
    const shared =
      typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = new WebAssembly.Module(generateWasm(signature, outputs, shared));
    const { exports } = new WebAssembly.Instance(module, { env: { memory } });
    entries = {
      run: exports[WASM_ENTRY] as Entry,
      runTable: exports[WASM_TABLE_ENTRY] as WasmEntries['runTable'],
    };
    kernels.set(name, entries);
  }
  return entries;
}

/** Gives a shared variable its own buffer; true when it did (its offset changed). */
export function detachIfShared(backend: WasmBackendInternals, variable: tf.Variable): boolean {
  if (backend.dataIdMap.get(variable.dataId)!.refCount <= 1) return false;
  giveVariableOwnBuffer(variable, () => {
    const copy = backend.makeOutput([...variable.shape], variable.dtype);
    const from = backend.dataIdMap.get(variable.dataId)!.memoryOffset;
    const to = backend.dataIdMap.get(copy.dataId)!.memoryOffset;
    // A fresh view: the allocation above may have grown (and detached) the heap.
    new Uint8Array(backend.wasm.asm!.memory!.buffer).copyWithin(to, from, from + variable.size * 4);
    return copy;
  });
  return true;
}
