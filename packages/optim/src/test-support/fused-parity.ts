import * as tf from '@tensorflow/tfjs-core';
import type { Schedule } from '@descent/core';
import { expectClose } from '@descent/core/testing';
import { uniqueSuffix } from './optimizer-harness';

/** Shapes around the SIMD and vec4 widths, a scalar, and one larger tensor. */
export const PARITY_SHAPES: number[][] = [[3, 5], [7], [], [2, 65], [1000]];

/** The path the fused kernels take per backend. */
export const FUSED_PATH = { cpu: 'reference', wasm: 'wasm-simd', webgpu: 'webgpu' } as const;

const values = (n: number, phase: number) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + phase) * 1.5);

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

/** Variables named uniquely; `shared` ones alias a tensor that stays alive (tf.variable(x)). */
export function parityVariables(tag: string, shared: boolean) {
  const sources: tf.Tensor[] = [];
  const vars = PARITY_SHAPES.map((shape, k) => {
    const source = tf.tensor(values(sizeOf(shape), k), shape);
    const v = tf.variable(source, true, `${tag}${k}${uniqueSuffix()}`);
    if (shared) sources.push(source);
    else source.dispose();
    return v;
  });
  return { vars, sources };
}

/** Deterministic 0/1 masks for the parity variables (about a third pruned), by name. */
export function parityMasks(vars: tf.Variable[]): Record<string, tf.Tensor> {
  return Object.fromEntries(
    vars.map((v) => [
      v.name,
      tf.tensor(
        Float32Array.from({ length: v.size }, (_, i) => ((i * 7 + v.size) % 3 === 0 ? 0 : 1)),
        v.shape,
      ),
    ]),
  );
}

/** A learning rate halving every 7 steps (a schedule the fused path evaluates per step). */
export const halving: Schedule = Object.assign(
  (step: number) => 0.02 * 0.5 ** Math.floor(step / 7),
  { config: { type: 'test.halving' } },
);

/** The same optimizer with its fused step removed: the composable path (its `chain(...)`). */
export function composable<T extends tf.Optimizer>(optimizer: T): T {
  (optimizer as unknown as { fusedStep: unknown }).fusedStep = undefined;
  return optimizer;
}

/** Options of {@link expectFusedParity}. */
export interface ParityOptions {
  /** Step at which 32 MiB are allocated, growing the wasm heap mid-run. */
  growHeapAt?: number;
  /** Gradient scale (large values make global-norm clipping bite). Default 1. */
  gradScale?: number;
  rtol?: number;
}

/**
 * Runs the fused optimizer and its composable twin for 20 steps on equal variables (the fused
 * one's aliasing live source tensors) and equal gradients; asserts equal parameters (rtol 1e-6)
 * and untouched alias sources. The factories get the variables, to key masks by name.
 */
export async function expectFusedParity(
  makeFused: (vars: tf.Variable[]) => tf.Optimizer,
  makeComposable: (vars: tf.Variable[]) => tf.Optimizer,
  { growHeapAt = -1, gradScale = 1, rtol = 1e-6 }: ParityOptions = {},
): Promise<void> {
  const a = parityVariables('fused', true);
  const b = parityVariables('chain', false);
  const fused = makeFused(a.vars);
  const reference = makeComposable(b.vars);
  const sourceValues = await Promise.all(a.sources.map((s) => s.data()));
  const keep: tf.Tensor[] = [];
  for (let step = 0; step < 20; step++) {
    if (step === growHeapAt) keep.push(tf.zeros([8 << 20]));
    const grads = PARITY_SHAPES.map((shape, k) =>
      tf.tensor(
        values(sizeOf(shape), k + step * 0.3).map((x) => x * gradScale),
        shape,
      ),
    );
    fused.applyGradients(a.vars.map((v, k) => ({ name: v.name, tensor: grads[k] as tf.Tensor })));
    reference.applyGradients(
      b.vars.map((v, k) => ({ name: v.name, tensor: grads[k] as tf.Tensor })),
    );
    tf.dispose(grads);
  }
  for (let k = 0; k < PARITY_SHAPES.length; k++) {
    await expectClose(a.vars[k] as tf.Tensor, b.vars[k] as tf.Tensor, { rtol, atol: rtol / 10 });
    // The aliased source tensors were never written: the kernel copied before its first in-place step.
    await expectClose(a.sources[k] as tf.Tensor, sourceValues[k] as Float32Array, {
      rtol: 0,
      atol: 0,
    });
  }
  fused.dispose();
  reference.dispose();
  tf.dispose([...a.vars, ...a.sources, ...b.vars, ...keep]);
}
