import * as tf from '@tensorflow/tfjs-core';
import type { WebGpuBackendInternals } from '../../kernel/tfjs-internals';
import type { SegmentNormLayout } from './segment-norm-layout';
import {
  SEGMENT_NORM_BACKWARD_DX_WGSL,
  SEGMENT_NORM_BACKWARD_PARAMS_WGSL,
  SEGMENT_NORM_FORWARD_WGSL,
  type SegmentNormWorkgroup,
  workgroupFor,
} from './segment-norm-wgsl';

const MAX_GROUPS_PER_DIMENSION = 65535;
const SHADERS = {
  forward: SEGMENT_NORM_FORWARD_WGSL,
  backwardDx: SEGMENT_NORM_BACKWARD_DX_WGSL,
  backwardParams: SEGMENT_NORM_BACKWARD_PARAMS_WGSL,
} as const;
type ShaderName = keyof typeof SHADERS;

/** Compiled pipelines per device, by shader and workgroup size. */
const pipelines = new WeakMap<GPUDevice, Map<string, GPUComputePipeline>>();

function pipeline(
  device: GPUDevice,
  name: ShaderName,
  wg: SegmentNormWorkgroup,
): GPUComputePipeline {
  let byName = pipelines.get(device);
  if (!byName) {
    byName = new Map();
    pipelines.set(device, byName);
  }
  const key = `${name}/${wg}`;
  let p = byName.get(key);
  if (!p) {
    p = device.createComputePipeline({
      layout: 'auto',
      compute: {
        module: device.createShaderModule({ code: SHADERS[name](wg) }),
        entryPoint: 'main',
      },
    });
    byName.set(key, p);
  }
  return p;
}

/** A fresh float32 output with its GPU buffer. */
function output(backend: WebGpuBackendInternals, shape: readonly number[]): tf.TensorInfo {
  const info = backend.makeTensorInfo([...shape], 'float32');
  backend.uploadToGPU(info.dataId);
  return info;
}

/**
 * Records one dispatch of `name` into tfjs's own compute pass, `count` workgroups (laid out 2-D
 * past 65535) of a size fit for reductions of `reduced` elements, binding `buffers` in order and
 * then the layout uniforms.
 */
function dispatch(
  backend: WebGpuBackendInternals,
  name: ShaderName,
  buffers: readonly tf.TensorInfo[],
  layout: SegmentNormLayout,
  epsilon: number,
  count: number,
  reduced: number,
): void {
  const p = pipeline(backend.device, name, workgroupFor(reduced));
  const uniforms = backend.makeUniforms([
    { type: 'uint32', data: [layout.outer] },
    { type: 'uint32', data: [layout.spatial] },
    { type: 'uint32', data: [layout.groups] },
    { type: 'uint32', data: [layout.groupSize] },
    { type: 'float32', data: [epsilon] },
  ]);
  const bindGroup = backend.device.createBindGroup({
    layout: p.getBindGroupLayout(0),
    entries: [
      ...buffers.map((t, binding) => ({
        binding,
        resource: { buffer: backend.tensorMap.get(t.dataId)!.resource! },
      })),
      { binding: buffers.length, resource: uniforms },
    ],
  });
  backend.ensureCommandEncoderReady();
  backend.computePassEncoder ??= backend.commandEncoder!.beginComputePass({});
  backend.computePassEncoder.setPipeline(p);
  backend.computePassEncoder.setBindGroup(0, bindGroup);
  const x = Math.min(count, MAX_GROUPS_PER_DIMENSION);
  backend.computePassEncoder.dispatchWorkgroups(x, Math.ceil(count / x));
  backend.dispatchCountInPass++;
  for (const t of buffers) backend.commandQueueOwnedIds.add(t.dataId);
  if (
    (tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE') as number) <= backend.dispatchCountInPass
  ) {
    backend.endComputePassEncoder();
    backend.submitQueue();
  }
}

/**
 * The fused forward on webgpu: one dispatch (a workgroup per segment) writing fresh y, mean and
 * rstd buffers. Inputs that tfjs still holds on the CPU are uploaded first.
 */
export function segmentNormForwardWebGpu(
  backend: WebGpuBackendInternals,
  x: tf.Tensor,
  gamma: tf.Tensor,
  beta: tf.Tensor,
  layout: SegmentNormLayout,
  epsilon: number,
): { y: tf.Tensor; mean: tf.Tensor; rstd: tf.Tensor } {
  for (const t of [x, gamma, beta]) backend.uploadToGPU(t.dataId);
  const stats = [layout.outer, layout.groups];
  const y = output(backend, x.shape);
  const mean = output(backend, stats);
  const rstd = output(backend, stats);
  dispatch(
    backend,
    'forward',
    [x, gamma, beta, y, mean, rstd],
    layout,
    epsilon,
    layout.outer * layout.groups,
    layout.spatial * layout.groupSize,
  );
  const engine = tf.engine();
  return {
    y: engine.makeTensorFromTensorInfo(y),
    mean: engine.makeTensorFromTensorInfo(mean),
    rstd: engine.makeTensorFromTensorInfo(rstd),
  };
}

/**
 * The fused backward on webgpu: two dispatches, dx (a workgroup per segment) and dγ, dβ (a
 * workgroup per channel).
 */
export function segmentNormBackwardWebGpu(
  backend: WebGpuBackendInternals,
  x: tf.Tensor,
  gamma: tf.Tensor,
  mean: tf.Tensor,
  rstd: tf.Tensor,
  dy: tf.Tensor,
  layout: SegmentNormLayout,
): { dx: tf.Tensor; dGamma: tf.Tensor; dBeta: tf.Tensor } {
  for (const t of [x, gamma, mean, rstd, dy]) backend.uploadToGPU(t.dataId);
  const channels = layout.groups * layout.groupSize;
  const dx = output(backend, x.shape);
  const dGamma = output(backend, [channels]);
  const dBeta = output(backend, [channels]);
  dispatch(
    backend,
    'backwardDx',
    [x, gamma, dy, mean, rstd, dx],
    layout,
    0,
    layout.outer * layout.groups,
    layout.spatial * layout.groupSize,
  );
  dispatch(
    backend,
    'backwardParams',
    [x, dy, mean, rstd, dGamma, dBeta],
    layout,
    0,
    channels,
    layout.outer * layout.spatial,
  );
  const engine = tf.engine();
  return {
    dx: engine.makeTensorFromTensorInfo(dx),
    dGamma: engine.makeTensorFromTensorInfo(dGamma),
    dBeta: engine.makeTensorFromTensorInfo(dBeta),
  };
}
