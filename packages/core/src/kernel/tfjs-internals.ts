import * as tf from '@tensorflow/tfjs-core';

/**
 * The parts of tfjs 4.22's backends that fused kernels touch, typed narrowly. They are not public
 * API; every use is guarded, and a backend that does not look like this runs the reference path.
 */
export interface WasmBackendInternals {
  wasm: {
    asm?: { memory?: WebAssembly.Memory };
    HEAPU8: Uint8Array;
    /** The backend's own allocator (emscripten's `malloc`/`free`); offsets into `asm.memory`. */
    _malloc(bytes: number): number;
    _free(offset: number): void;
    /** The C++ side's tensor registry (XNNPACK operators cache packed weights per tensor id). */
    tfjs: {
      registerTensor(id: number, size: number, memoryOffset: number): void;
      disposeData(id: number): void;
    };
  };
  dataIdMap: {
    get(dataId: object): { id: number; memoryOffset: number; refCount: number } | undefined;
    has(dataId: object): boolean;
  };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
}

export interface WebGpuTensorData {
  values: ArrayLike<number> | null;
  resource: GPUBuffer | null;
  refCount: number;
}

export interface WebGpuBackendInternals {
  device: GPUDevice;
  tensorMap: { get(dataId: object): WebGpuTensorData | undefined; has(dataId: object): boolean };
  commandEncoder: GPUCommandEncoder | null;
  computePassEncoder: GPUComputePassEncoder | null;
  commandQueueOwnedIds: WeakSet<object>;
  dispatchCountInPass: number;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  uploadToGPU(dataId: object): void;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: ArrayLike<number>): tf.TensorInfo;
  makeUniforms(
    uniforms: { type: 'float32' | 'uint32' | 'int32'; data: number[] }[],
  ): GPUBufferBinding;
}

/** The active backend as wasm internals, or null when it is not a tfjs wasm backend we can drive. */
export function wasmInternals(): WasmBackendInternals | null {
  if (tf.getBackend() !== 'wasm') return null;
  const backend = tf.backend() as unknown as Partial<WasmBackendInternals>;
  return backend.wasm?.asm?.memory &&
    typeof backend.wasm.tfjs?.registerTensor === 'function' &&
    typeof backend.wasm.tfjs.disposeData === 'function' &&
    typeof backend.wasm._malloc === 'function' &&
    typeof backend.wasm._free === 'function' &&
    backend.dataIdMap &&
    backend.makeOutput
    ? (backend as WasmBackendInternals)
    : null;
}

/** The active backend as webgpu internals, or null. */
export function webGpuInternals(): WebGpuBackendInternals | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as Partial<WebGpuBackendInternals>;
  return backend.device && backend.tensorMap && backend.makeUniforms && backend.uploadToGPU
    ? (backend as WebGpuBackendInternals)
    : null;
}

/**
 * Replaces a variable's buffer by a fresh copy made by `copy`, so an in-place write cannot reach
 * the other tensors that share it (`tf.variable(x)` and `tf.reshape(v)` alias their input).
 */
export function giveVariableOwnBuffer(variable: tf.Variable, copy: () => tf.TensorInfo): void {
  const copied = tf.engine().makeTensorFromTensorInfo(copy());
  variable.assign(copied);
  copied.dispose();
}

/** True when the tensor's data lives on the active backend (not yet moved from another one). */
export function livesOnActiveBackend(tensor: tf.Tensor): boolean {
  const info = (
    tf.engine() as unknown as { state: { tensorInfo: WeakMap<object, { backend: unknown }> } }
  ).state.tensorInfo.get(tensor.dataId);
  return info?.backend === tf.backend();
}
