import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { isDescentError } from '../errors/descent-error';
import { wasmInternals, webGpuInternals } from '../kernel/tfjs-internals';
import { expectClose } from '../testing/expect-close';
import { expectNoLeaks } from '../testing/expect-no-leaks';
import { forEachBackend } from '../testing/for-each-backend';
import { scaledSubtract } from './scaled-subtract';

/** Deterministic test data without an RNG dependency. */
const ramp = (n: number, scale: number, shift = 0) =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + shift) * scale);

/** Float64 reference of p − α·g, with α and the inputs rounded to float32 as every path does. */
const reference = (p: ArrayLike<number>, g: ArrayLike<number>, alpha: number) =>
  Array.from(p, (pi, i) => pi - Math.fround(alpha) * (g[i] as number));

/** A variable that owns its buffer (the tensor it was made from is disposed). */
const ownedVariable = (values: Float32Array) => {
  const source = tf.tensor(values);
  const v = tf.variable(source);
  source.dispose();
  return v;
};

const FUSED = { cpu: 'reference', wasm: 'wasm-simd', webgpu: 'webgpu' } as const;

forEachBackend('scaledSubtract', (backend) => {
  it(`takes the ${FUSED[backend]} path and matches the float64 reference (rtol 1e-6)`, async () => {
    for (const n of [1, 3, 4, 10, 1001]) {
      const p0 = ramp(n, 2);
      const g0 = ramp(n, 3, 0.5);
      const p = tf.variable(tf.tensor(p0));
      const g = tf.tensor(g0);
      expect(scaledSubtract(p, g, 0.37)).toBe(FUSED[backend]);
      await expectClose(p, reference(p0, g0, 0.37), { rtol: 1e-6, atol: 1e-6 });
      tf.dispose([p, g]);
    }
  });

  it('writes in place when the buffer is unshared and leaks nothing', async () => {
    const p = ownedVariable(ramp(64, 1));
    const g = tf.tensor(ramp(64, 1, 1));
    const dataId = p.dataId;
    const heapOffset = wasmInternals()?.dataIdMap.get(dataId)?.memoryOffset;
    const gpuBuffer = () => webGpuInternals()?.tensorMap.get(p.dataId)?.resource;
    scaledSubtract(p, g, 0.01); // uploads to the GPU on webgpu
    const bufferBefore = gpuBuffer();
    await expectNoLeaks(async () => {
      for (let step = 0; step < 5; step++) scaledSubtract(p, g, 0.01);
      await p.data();
    });
    if (backend !== 'cpu') expect(p.dataId).toBe(dataId);
    if (backend === 'wasm')
      expect(wasmInternals()!.dataIdMap.get(p.dataId)!.memoryOffset).toBe(heapOffset);
    if (backend === 'webgpu') expect(gpuBuffer()).toBe(bufferBefore);
    tf.dispose([p, g]);
  });

  it('copies first when the buffer is shared: tf.variable(x) leaves x intact', async () => {
    const x0 = ramp(33, 1);
    const x = tf.tensor(x0);
    const p = tf.variable(x);
    const g = tf.onesLike(x);
    await expectNoLeaks(() => scaledSubtract(p, g, 0.5));
    await expectClose(x, x0, { rtol: 0, atol: 0 });
    await expectClose(
      p,
      Array.from(x0, (v) => v - 0.5),
      { rtol: 1e-7, atol: 1e-7 },
    );
    expect(p.dataId).not.toBe(x.dataId);
    tf.dispose([x, p, g]);
  });

  it('equals the reference path over 20 steps with a changing step size (rtol 1e-6)', async () => {
    const fused = tf.variable(tf.tensor(ramp(517, 1)));
    const slow = tf.variable(tf.tensor(ramp(517, 1)));
    for (let step = 0; step < 20; step++) {
      const g = tf.tensor(ramp(517, 1, step));
      scaledSubtract(fused, g, 0.1 / (step + 1));
      expect(scaledSubtract(slow, g, 0.1 / (step + 1), { path: 'reference' })).toBe('reference');
      g.dispose();
    }
    await expectClose(fused, slow, { rtol: 1e-6, atol: 1e-7 });
    tf.dispose([fused, slow]);
  });

  it('rejects bad input with a DescentError before touching the variable', async () => {
    const p0 = ramp(6, 1);
    const p = tf.variable(tf.tensor(p0, [2, 3]));
    const disposed = tf.zeros([2, 3]);
    disposed.dispose();
    const cases: [string, () => unknown][] = [
      ['SHAPE_MISMATCH', () => scaledSubtract(p, tf.zeros([3, 2]), 0.1)],
      ['DISPOSED', () => scaledSubtract(p, disposed, 0.1)],
      ['NON_FINITE', () => scaledSubtract(p, tf.zeros([2, 3]), Number.NaN)],
      ['DTYPE_MISMATCH', () => scaledSubtract(p, tf.zeros([2, 3], 'int32'), 0.1)],
      [
        'BAD_ARGUMENT',
        () => scaledSubtract(tf.zeros([2, 3]) as tf.Variable, tf.zeros([2, 3]), 0.1),
      ],
    ];
    /** Runs a call inside tf.tidy (its argument tensors are freed) and returns what it threw. */
    const thrownBy = (call: () => unknown): unknown => {
      let thrown: unknown;
      tf.tidy(() => {
        try {
          call();
        } catch (e) {
          thrown = e;
        }
      });
      return thrown;
    };
    for (const [code, call] of cases) {
      const thrown = thrownBy(call);
      expect(isDescentError(thrown) && thrown.code, String(thrown)).toBe(code);
    }
    const mismatch = String(thrownBy(cases[0]![1]));
    expect(mismatch).toContain('[3, 2]');
    expect(mismatch).toContain('[2, 3]');
    await expectClose(p, p0, { rtol: 0, atol: 0 });
    p.dispose();
  });

  if (backend === 'wasm') {
    it('stays correct after the wasm heap grows between and around calls', async () => {
      const memory = wasmInternals()!.wasm.asm!.memory!;
      const p0 = ramp(1001, 1);
      const p = tf.variable(tf.tensor(p0));
      const g = tf.tensor(ramp(1001, 1, 2));
      const before = memory.buffer.byteLength;
      const big = tf.zeros([before / 4 + 1024]); // more than the whole heap: forces growth
      expect(memory.buffer.byteLength).toBeGreaterThan(before);
      scaledSubtract(p, g, 0.25);
      const shared = tf.variable(p); // shared buffer → copy, itself allocated after growth
      const huge = tf.zeros([memory.buffer.byteLength / 4]); // grow again before the copy's kernel runs
      scaledSubtract(shared, g, 0.25);
      const once = reference(p0, await g.data(), 0.25);
      await expectClose(p, once, { rtol: 1e-6, atol: 1e-7 });
      await expectClose(shared, reference(once, await g.data(), 0.25), { rtol: 1e-6, atol: 1e-7 });
      tf.dispose([p, g, big, shared, huge]);
    });
  }

  if (backend === 'webgpu') {
    it('never returns a stale value from await data() after a GPU write', async () => {
      const p = tf.variable(tf.tensor(ramp(300, 1)));
      const g = tf.tensor(ramp(300, 1, 3));
      const first = Float32Array.from(await p.data()); // tfjs caches these values on the CPU
      scaledSubtract(p, g, 1);
      await expectClose(await p.data(), reference(first, await g.data(), 1), {
        rtol: 1e-6,
        atol: 1e-6,
      });
      tf.dispose([p, g]);
    });

    it('dispatches in two dimensions beyond 65 535 workgroups, reaching the last element', async () => {
      const n = 64 * 65_535 + 3; // scalar path (n mod 4 = 3): one element per thread
      const p = ownedVariable(new Float32Array(n).fill(1));
      const g = tf.tensor(Float32Array.from({ length: n }, (_, i) => i % 7));
      expect(scaledSubtract(p, g, 0.5)).toBe('webgpu');
      const values = await p.data();
      for (const i of [0, 1, 64 * 65_535 - 1, 64 * 65_535, n - 1])
        expect(values[i]).toBe(1 - 0.5 * (i % 7));
      tf.dispose([p, g]);
    });

    it('handles variables below the CPU-forward threshold (data only on the CPU)', async () => {
      const small = tf.add(tf.tensor([1, 2, 3]), tf.tensor([1, 1, 1])); // computed on the CPU by tfjs
      expect(webGpuInternals()!.tensorMap.get(small.dataId)!.resource).toBeFalsy();
      const p = tf.variable(small);
      const g = tf.tensor([1, 1, 1]);
      expect(scaledSubtract(p, g, 2)).toBe('webgpu');
      await expectClose(p, [0, 1, 2], { rtol: 0, atol: 0 });
      await expectClose(small, [2, 3, 4], { rtol: 0, atol: 0 });
      tf.dispose([small, p, g]);
    });
  }
});
