import * as tf from '@tensorflow/tfjs-core';
import { type Model, Rng } from '@descent/core';
import { expectDescentErrorAsync, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { disposeModel, mlpReference, testMlp } from '../test-support/mlp';
import { teacherStudent } from './teacher-student';

forEachBackend('teacherStudent', () => {
  let teacher: Model;
  let binary: Model;
  beforeAll(() => {
    teacher = testMlp({ sizes: [5, 16, 3], seed: 1 });
    binary = testMlp({ sizes: [4, 8, 1], seed: 2 });
  });
  afterAll(() => {
    disposeModel(teacher);
    disposeModel(binary);
  });

  it('regression targets are the teacher on N(0, I) inputs (float64 reference, 1e-5), in chunks', async () => {
    const ds = await expectNoLeaks(() => teacherStudent({ teacher, n: 1500, seed: 3 }));
    expect(ds.xShape).toEqual([5]); // inferred from dense1/kernel's fanIn
    expect(ds.yShape).toEqual([3]);
    expect(ds.y).toBeInstanceOf(Float32Array);
    // Inputs are the seed's normals, identical on every backend.
    expect(ds.x).toEqual(new Rng(3).normalArray(1500 * 5));
    const ref = await mlpReference(teacher, ds.x, ds.n);
    let worst = 0;
    ref.forEach((r, i) => {
      worst = Math.max(worst, Math.abs((ds.y[i] as number) - r));
    });
    expect(worst).toBeLessThan(1e-5);
  });

  it('adds Gaussian noise of std σ to the targets', async () => {
    const sigma = 0.25;
    const clean = await teacherStudent({ teacher, n: 1200, seed: 4 });
    const noisy = await teacherStudent({ teacher, n: 1200, seed: 4, noise: sigma });
    expect(noisy.x).toEqual(clean.x);
    let s1 = 0;
    let s2 = 0;
    for (let i = 0; i < noisy.y.length; i++) {
      const r = (noisy.y[i] as number) - (clean.y[i] as number);
      s1 += r;
      s2 += r * r;
    }
    const m = noisy.y.length; // 3600 residuals: standard error of the std ≈ σ/√(2m) ≈ 0.003
    expect(Math.abs(s1 / m)).toBeLessThan(0.02);
    expect(Math.abs(Math.sqrt(s2 / m) - sigma)).toBeLessThan(0.015);
  });

  it('classification labels are the arg-max (or the sign for one output)', async () => {
    const ds = await teacherStudent({ teacher, n: 400, seed: 5, task: 'classification' });
    expect(ds.numClasses).toBe(3);
    expect(ds.yShape).toEqual([]);
    expect(ds.y).toBeInstanceOf(Int32Array);
    const ref = await mlpReference(teacher, ds.x, ds.n);
    for (let i = 0; i < ds.n; i++) {
      const row = Array.from(ref.subarray(i * 3, i * 3 + 3));
      const sorted = [...row].sort((a, b) => b - a);
      if ((sorted[0] as number) - (sorted[1] as number) < 1e-5) continue; // a float32 near-tie
      expect(ds.y[i]).toBe(row.indexOf(sorted[0] as number));
    }
    const bin = await teacherStudent({
      teacher: binary,
      n: 300,
      seed: 6,
      task: 'classification',
      inputDim: 4,
    });
    expect(bin.numClasses).toBe(2);
    const refBin = await mlpReference(binary, bin.x, bin.n);
    refBin.forEach((r, i) => {
      if (Math.abs(r) > 1e-5) expect(bin.y[i]).toBe(r > 0 ? 1 : 0);
    });
    const counts = [0, 0];
    bin.y.forEach((v) => {
      counts[v] = (counts[v] as number) + 1;
    });
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBeGreaterThan(0);
  });

  it('rejects bad teachers and options without leaking', async () => {
    await expectNoLeaks(async () => {
      await expectDescentErrorAsync(
        () => teacherStudent({ teacher: {} as Model, n: 10 }),
        'BAD_ARGUMENT',
        'teacherStudent.teacher',
      );
      await expectDescentErrorAsync(
        () => teacherStudent({ teacher, n: 0 }),
        'BAD_HYPERPARAM',
        'teacherStudent.n',
      );
      await expectDescentErrorAsync(
        () => teacherStudent({ teacher, n: 5, inputDim: 4 }),
        'BAD_ARGUMENT',
        '[5, 4]',
        'inputDim',
      );
      const flat: Model = { ...teacher, apply: (p, x) => tf.reshape(teacher.apply(p, x), [-1]) };
      await expectDescentErrorAsync(
        () => teacherStudent({ teacher: flat, n: 5 }),
        'BAD_ARGUMENT',
        '[batch, k]',
        'returned [15]',
      );
      const nan: Model = {
        ...teacher,
        apply: (p, x) => tf.tidy(() => tf.div(teacher.apply(p, x), 0)),
      };
      await expectDescentErrorAsync(() => teacherStudent({ teacher: nan, n: 5 }), 'NON_FINITE');
      await expectDescentErrorAsync(
        () => teacherStudent({ teacher, n: 5, task: 'ranking' as never }),
        'BAD_ARGUMENT',
        'task',
      );
    });
  });
});
