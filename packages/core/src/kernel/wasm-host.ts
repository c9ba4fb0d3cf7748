import type * as tf from '@tensorflow/tfjs-core';
import type { Expr } from './expr';
import type { KernelSignature } from './kernel-signature';
import { giveVariableOwnBuffer, type WasmBackendInternals } from './tfjs-internals';
import { generateWasm, WASM_ENTRY } from './wasm-codegen';

type Entry = (...args: number[]) => void;

/** Compiled kernels per tfjs wasm memory (a new backend instance has a new memory). */
const instances = new WeakMap<WebAssembly.Memory, Map<string, Entry>>();

/**
 * Runs an element-wise kernel in place on the tfjs wasm backend's heap: parameter, state and
 * gradient tensors are addressed at their heap offsets, nothing is copied. A variable whose buffer
 * is shared with another tensor first gets a private copy (one memcpy).
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
): void {
  for (const variable of inouts) detachIfShared(backend, variable);
  const entry = compiled(backend, name, signature, outputs);
  const size = inouts[0]!.size;
  if (size === 0) return;
  const args: number[] = [size];
  for (const t of inouts) args.push(backend.dataIdMap.get(t.dataId)!.memoryOffset);
  for (const t of inputs) args.push(backend.dataIdMap.get(t.dataId)!.memoryOffset);
  for (const t of scalars) args.push(backend.dataIdMap.get(t.dataId)!.memoryOffset);
  for (const u of uniforms) args.push(u);
  entry(...args);
}

function compiled(
  backend: WasmBackendInternals,
  name: string,
  signature: KernelSignature,
  outputs: Record<string, Expr>,
): Entry {
  const memory = backend.wasm.asm!.memory!;
  let kernels = instances.get(memory);
  if (!kernels) {
    kernels = new Map();
    instances.set(memory, kernels);
  }
  let entry = kernels.get(name);
  if (!entry) {
    const shared =
      typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = new WebAssembly.Module(generateWasm(signature, outputs, shared));
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    entry = instance.exports[WASM_ENTRY] as Entry;
    kernels.set(name, entry);
  }
  return entry;
}

function detachIfShared(backend: WasmBackendInternals, variable: tf.Variable): void {
  if (backend.dataIdMap.get(variable.dataId)!.refCount <= 1) return;
  giveVariableOwnBuffer(variable, () => {
    const copy = backend.makeOutput([...variable.shape], variable.dtype);
    const from = backend.dataIdMap.get(variable.dataId)!.memoryOffset;
    const to = backend.dataIdMap.get(copy.dataId)!.memoryOffset;
    // A fresh view: the allocation above may have grown (and detached) the heap.
    new Uint8Array(backend.wasm.asm!.memory!.buffer).copyWithin(to, from, from + variable.size * 4);
    return copy;
  });
}
