import * as tf from '@tensorflow/tfjs-core';
import type { WasmBackendInternals } from '../../kernel/tfjs-internals';
import type { SegmentNormLayout } from './segment-norm-layout';
import { generateSegmentNormWasm, SEGMENT_NORM_EXPORTS } from './segment-norm-wasm-module';

type Entry = (...args: number[]) => void;

/** The instantiated module per tfjs wasm memory (a new backend instance has a new memory). */
const modules = new WeakMap<WebAssembly.Memory, WebAssembly.Exports>();

function exportsFor(backend: WasmBackendInternals): WebAssembly.Exports {
  const memory = backend.wasm.asm!.memory!;
  let exports = modules.get(memory);
  if (!exports) {
    const shared =
      typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
    const module = new WebAssembly.Module(generateSegmentNormWasm(shared));
    exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    modules.set(memory, exports);
  }
  return exports;
}

/** Heap byte offsets of the tensors, or null when one does not live on this backend. */
function offsets(backend: WasmBackendInternals, tensors: readonly tf.Tensor[]): number[] | null {
  const out: number[] = [];
  for (const t of tensors) {
    const info = backend.dataIdMap.get(t.dataId);
    if (info === undefined) return null;
    out.push(info.memoryOffset);
  }
  return out;
}

const offsetOf = (backend: WasmBackendInternals, info: tf.TensorInfo) =>
  backend.dataIdMap.get(info.dataId)!.memoryOffset;

const widthOf = (layout: SegmentNormLayout) => (layout.groupSize % 4 === 0 ? 4 : 1);

/**
 * The fused forward on the tfjs wasm heap: reads x, γ, β at their offsets, writes fresh outputs
 * y (x's shape) and the statistics mean, rstd (`[A, B]`) made with the backend's `makeOutput`.
 * Returns null (nothing allocated) when an input does not live on this backend.
 */
export function segmentNormForwardWasm(
  backend: WasmBackendInternals,
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  layout: SegmentNormLayout,
  epsilon: number,
): { y: tf.Tensor; mean: tf.Tensor; rstd: tf.Tensor } | null {
  const inputs = offsets(backend, [x, gamma, beta]);
  if (!inputs) return null;
  const entry = exportsFor(backend)[SEGMENT_NORM_EXPORTS.forward[widthOf(layout)]] as Entry;
  const stats = [layout.outer, layout.groups];
  const y = backend.makeOutput([...x.shape], 'float32');
  const mean = backend.makeOutput(stats, 'float32');
  const rstd = backend.makeOutput(stats, 'float32');
  // Offsets are read after every allocation (the module addresses the memory itself, so a grown
  // heap needs no fresh views).
  entry(
    ...inputs,
    offsetOf(backend, y),
    offsetOf(backend, mean),
    offsetOf(backend, rstd),
    layout.outer,
    layout.spatial,
    layout.groups,
    layout.groupSize,
    epsilon,
  );
  const engine = tf.engine();
  return {
    y: engine.makeTensorFromTensorInfo(y),
    mean: engine.makeTensorFromTensorInfo(mean),
    rstd: engine.makeTensorFromTensorInfo(rstd),
  };
}

/**
 * The fused backward on the tfjs wasm heap: from x, γ, the saved mean and rstd and the cotangent
 * dy, writes fresh dx (x's shape), dγ and dβ (`[C]`). Returns null when an input does not live on
 * this backend.
 */
export function segmentNormBackwardWasm(
  backend: WasmBackendInternals,
  x: tf.Tensor,
  gamma: tf.Tensor,
  mean: tf.Tensor,
  rstd: tf.Tensor,
  dy: tf.Tensor,
  layout: SegmentNormLayout,
): { dx: tf.Tensor; dGamma: tf.Tensor; dBeta: tf.Tensor } | null {
  const inputs = offsets(backend, [x, gamma, dy, mean, rstd]);
  if (!inputs) return null;
  const entry = exportsFor(backend)[SEGMENT_NORM_EXPORTS.backward[widthOf(layout)]] as Entry;
  const channels = [layout.groups * layout.groupSize];
  const dx = backend.makeOutput([...x.shape], 'float32');
  const dGamma = backend.makeOutput(channels, 'float32');
  const dBeta = backend.makeOutput(channels, 'float32');
  entry(
    ...inputs,
    offsetOf(backend, dx),
    offsetOf(backend, dGamma),
    offsetOf(backend, dBeta),
    layout.outer,
    layout.spatial,
    layout.groups,
    layout.groupSize,
  );
  const engine = tf.engine();
  return {
    dx: engine.makeTensorFromTensorInfo(dx),
    dGamma: engine.makeTensorFromTensorInfo(dGamma),
    dBeta: engine.makeTensorFromTensorInfo(dBeta),
  };
}
