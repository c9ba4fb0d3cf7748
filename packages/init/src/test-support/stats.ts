/**
 * Test support (not exported): float64 statistics of tensors, read asynchronously (webgpu-safe).
 */
import type * as tf from '@tensorflow/tfjs-core';

/** Mean, population variance, min and max of a tensor's values, in float64. */
export async function moments(
  t: tf.Tensor,
): Promise<{ mean: number; variance: number; min: number; max: number; n: number }> {
  const data = await t.data();
  const n = data.length;
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = data[i] as number;
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((data[i] as number) - mean) ** 2;
  return { mean, variance: ss / n, min, max, n };
}

/** FNV-1a (32-bit) of the float32 bytes of a tensor: a compact fingerprint of its exact bits. */
export async function fingerprint(t: tf.Tensor): Promise<string> {
  const data = await t.data();
  const bytes = new Uint8Array(Float32Array.from(data as Float32Array).buffer);
  let h = 0x811c9dc5;
  for (const b of bytes) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** `max |(MᵀM − I)_ij|` (`'columns'`) or `max |(MMᵀ − I)_ij|` (`'rows'`) of a row-major matrix, in float64. */
export function orthogonalityError(
  data: ArrayLike<number>,
  rows: number,
  cols: number,
  which: 'columns' | 'rows',
  scale = 1,
): number {
  let worst = 0;
  if (which === 'columns') {
    for (let i = 0; i < cols; i++) {
      for (let j = i; j < cols; j++) {
        let s = 0;
        for (let k = 0; k < rows; k++)
          s += (data[k * cols + i] as number) * (data[k * cols + j] as number);
        worst = Math.max(worst, Math.abs(s / scale - (i === j ? 1 : 0)));
      }
    }
  } else {
    for (let i = 0; i < rows; i++) {
      for (let j = i; j < rows; j++) {
        let s = 0;
        for (let k = 0; k < cols; k++)
          s += (data[i * cols + k] as number) * (data[j * cols + k] as number);
        worst = Math.max(worst, Math.abs(s / scale - (i === j ? 1 : 0)));
      }
    }
  }
  return worst;
}
