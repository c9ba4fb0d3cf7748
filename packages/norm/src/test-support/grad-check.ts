/**
 * Test support (not exported): checks a tfjs op against its float64 reference, forward and
 * gradients (by central differences on the reference, `numericGrad`), without leaks.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@descent/core';
import { expectClose, expectNoLeaks, numericGrad } from '@descent/core/testing';

/** Deterministic float32 sample values `offset + scale·N(0, 1)` from `seed`. */
export function sample(size: number, seed: number, scale = 1, offset = 0): Float32Array {
  return new Rng(seed).normalArray(size, offset, scale);
}

/** One differentiable input of an op under test. */
export interface OpInput {
  shape: number[];
  values: Float32Array;
}

/** What {@link expectMatchesReference} checks. */
export interface ReferenceCheck {
  /** The inputs (the op is differentiated with respect to every one). */
  inputs: OpInput[];
  /** The op on tensors (may make temporaries; run inside a tidy). */
  op: (...xs: tf.Tensor[]) => tf.Tensor;
  /** The float64 reference on the same inputs, flat. */
  reference: (...xs: Float64Array[]) => Float64Array;
  /** Forward tolerance. Default rtol 1e-5, atol 1e-5. */
  forward?: { rtol?: number; atol?: number };
  /** Gradient tolerance: `atol` is relative to the largest |reference gradient| of that input. Default rtol 1e-3, atol 1e-4. */
  grad?: { rtol?: number; atol?: number };
  /** Seed of the random cotangent `c` of the loss `Σ c·y`. */
  seed?: number;
}

/**
 * Asserts `op` equals `reference` in value and that the gradients of `L = Σ c·op(inputs)` (for a
 * fixed random `c`) equal central differences of the float64 reference, input by input.
 */
export async function expectMatchesReference(check: ReferenceCheck): Promise<void> {
  const { inputs, op, reference } = check;
  const f64 = inputs.map((i) => Float64Array.from(i.values));
  const expected = reference(...f64);
  const c = sample(expected.length, check.seed ?? 99);
  await expectNoLeaks(async () => {
    const ts = inputs.map((i) => tf.tensor(i.values, i.shape));
    const y = tf.tidy(() => op(...ts));
    const cT = tf.tensor(c, y.shape);
    await expectClose(y, expected, { rtol: 1e-5, atol: 1e-5, ...check.forward });
    const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(op(...xs), cT)))(ts);
    const lens = inputs.map((i) => i.values.length);
    const flat = Float64Array.from(f64.flatMap((a) => Array.from(a)));
    const loss = (z: Float64Array) => {
      const parts: Float64Array[] = [];
      let at = 0;
      for (const n of lens) {
        parts.push(z.subarray(at, at + n));
        at += n;
      }
      const out = reference(...parts);
      let s = 0;
      for (let i = 0; i < out.length; i++) s += (c[i] as number) * (out[i] as number);
      return s;
    };
    const numeric = numericGrad(loss, flat);
    let at = 0;
    for (let k = 0; k < inputs.length; k++) {
      const n = lens[k] as number;
      const ref = numeric.subarray(at, at + n);
      at += n;
      const scale = Math.max(...Array.from(ref, Math.abs), 1e-12);
      const { rtol = 1e-3, atol = 1e-4 } = check.grad ?? {};
      await expectClose(grads[k] as tf.Tensor, ref, { rtol, atol: atol * scale });
    }
    tf.dispose([...ts, y, cT, ...grads]);
  });
}
