import * as tf from '@tensorflow/tfjs-core';
import type { Expr } from './expr';
import type { KernelSignature } from './kernel-signature';
import { giveVariableOwnBuffer, type WebGpuBackendInternals } from './tfjs-internals';
import { generateWgsl, WORKGROUP_SIZE, type WgslWidth } from './wgsl-codegen';

const MAX_GROUPS_PER_DIMENSION = 65535;

/** Compiled pipelines per device. */
const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

/**
 * Runs an element-wise kernel in place on the tfjs webgpu backend: one dispatch of our own
 * pipeline, binding parameter and state buffers read-write, recorded in tfjs's own compute pass
 * (so it is ordered with tfjs's work and batched into tfjs's submits). Hyperparameters travel in a
 * uniform buffer, so a new learning rate never recompiles. Data that tfjs still holds on the CPU
 * (small tensors it computed there) is uploaded first; CPU-side caches of the written buffers are
 * dropped, so a later `await t.data()` reads the GPU result, never a stale copy.
 */
export function runWebGpuKernel(
  backend: WebGpuBackendInternals,
  name: string,
  signature: KernelSignature,
  outputs: Record<string, Expr>,
  inouts: readonly tf.Variable[],
  inputs: readonly tf.Tensor[],
  scalars: readonly tf.Tensor[],
  uniforms: readonly number[],
): void {
  for (const variable of inouts) detachIfShared(backend, variable);
  const tensors = [...inouts, ...inputs, ...scalars];
  for (const t of tensors) backend.uploadToGPU(t.dataId);
  const size = inouts[0]!.size;
  if (size === 0) return;

  const width = size % 4 === 0 ? 4 : 1;
  const items = size / width;
  const pipeline = compiled(backend.device, name, signature, outputs, width);
  const uniformBinding = backend.makeUniforms([
    { type: 'uint32', data: [items] },
    ...uniforms.map((value) => ({ type: 'float32' as const, data: [value] })),
  ]);
  const bindGroup = backend.device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [
      ...tensors.map((t, binding) => ({
        binding,
        resource: { buffer: backend.tensorMap.get(t.dataId)!.resource! },
      })),
      { binding: tensors.length, resource: uniformBinding },
    ],
  });
  backend.ensureCommandEncoderReady();
  backend.computePassEncoder ??= backend.commandEncoder!.beginComputePass({});
  backend.computePassEncoder.setPipeline(pipeline);
  backend.computePassEncoder.setBindGroup(0, bindGroup);
  const groups = Math.ceil(items / WORKGROUP_SIZE);
  const x = Math.min(groups, MAX_GROUPS_PER_DIMENSION);
  backend.computePassEncoder.dispatchWorkgroups(x, Math.ceil(groups / x));
  backend.dispatchCountInPass++;
  for (const t of tensors) backend.commandQueueOwnedIds.add(t.dataId);
  for (const variable of inouts) backend.tensorMap.get(variable.dataId)!.values = null;
  if (
    (tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE') as number) <= backend.dispatchCountInPass
  ) {
    backend.endComputePassEncoder();
    backend.submitQueue();
  }
}

function compiled(
  device: GPUDevice,
  name: string,
  signature: KernelSignature,
  outputs: Record<string, Expr>,
  width: WgslWidth,
): GPUComputePipeline {
  let byName = pipelines.get(device);
  if (!byName) {
    byName = new Map();
    pipelines.set(device, byName);
  }
  const key = `${name}/${width}`;
  let pipeline = byName.get(key);
  if (!pipeline) {
    const code = generateWgsl(signature, outputs, width);
    pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module: device.createShaderModule({ code }), entryPoint: 'main' },
    });
    byName.set(key, pipeline);
  }
  return pipeline;
}

function detachIfShared(backend: WebGpuBackendInternals, variable: tf.Variable): void {
  const data = backend.tensorMap.get(variable.dataId)!;
  if (data.refCount <= 1) return;
  giveVariableOwnBuffer(variable, () => {
    if (!data.resource) {
      return backend.makeTensorInfo(
        [...variable.shape],
        variable.dtype,
        Float32Array.from(data.values!),
      );
    }
    const copy = backend.makeTensorInfo([...variable.shape], variable.dtype);
    backend.uploadToGPU(copy.dataId);
    backend.ensureCommandEncoderReady();
    backend.endComputePassEncoder();
    const target = backend.tensorMap.get(copy.dataId)!.resource!;
    backend.commandEncoder!.copyBufferToBuffer(data.resource, 0, target, 0, variable.size * 4);
    backend.commandQueueOwnedIds.add(variable.dataId);
    backend.commandQueueOwnedIds.add(copy.dataId);
    return copy;
  });
}
