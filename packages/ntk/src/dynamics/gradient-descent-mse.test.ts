import * as tf from '@tensorflow/tfjs-core';
import {
  expectClose,
  expectDescentError,
  expectNoLeaks,
  forEachBackend,
} from '@descent/core/testing';
import { expect, it } from 'vitest';
import { gradientDescentMse } from './gradient-descent-mse';

/** A positive definite 5×5 kernel `XXᵀ + 0.1 I` and the test–train kernel `X_test Xᵀ`. */
const X = [
  [1, 0.2, -0.5],
  [0.3, 1.1, 0.4],
  [-0.7, 0.5, 0.9],
  [0.2, -0.8, 0.6],
  [1.2, 0.1, 0.3],
];
const X_TEST = [
  [0.5, 0.5, 0.5],
  [-1, 0.3, 0.2],
];
const Y = [1, -0.5, 0.25, 2, -1];

function gram(a: number[][], b: number[][], ridge = 0): number[][] {
  return a.map((u, i) =>
    b.map((v, j) => u.reduce((s, x, k) => s + x * v[k]!, 0) + (i === j ? ridge : 0)),
  );
}

const K = gram(X, X, 0.1);
const K_TEST = gram(X_TEST, X);

/** Euler steps of df/dt = −(η/S)K(f − y), df_test/dt = −(η/S)K_test(f − y) from f = 0. */
function euler(k: number[][], kTest: number[][], y: number[], eta: number, t: number, dt: number) {
  const n = y.length;
  const rate = eta / n;
  const f = new Array<number>(n).fill(0);
  const fTest = new Array<number>(kTest.length).fill(0);
  for (let step = 0; step < Math.round(t / dt); step++) {
    const r = f.map((v, i) => v - y[i]!);
    const df = k.map((row) => row.reduce((s, x, j) => s + x * r[j]!, 0));
    const dTest = kTest.map((row) => row.reduce((s, x, j) => s + x * r[j]!, 0));
    for (let i = 0; i < n; i++) f[i] = f[i]! - dt * rate * df[i]!;
    for (let i = 0; i < fTest.length; i++) fTest[i] = fTest[i]! - dt * rate * dTest[i]!;
  }
  return { f, fTest };
}

/** `A⁻¹ b` by Gaussian elimination with partial pivoting (float64). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let j = c; j <= n; j++) m[r]![j] = m[r]![j]! - f * m[c]![j]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let j = r + 1; j < n; j++) s -= m[r]![j]! * x[j]!;
    x[r] = s / m[r]![r]!;
  }
  return x;
}

function matVec(a: number[][], v: number[]): number[] {
  return a.map((row) => row.reduce((s, x, j) => s + x * v[j]!, 0));
}

forEachBackend('gradientDescentMse', () => {
  it('reproduces the public vectors: ±0.393469 at t = 1, ±0.917915 at t = 5', async () => {
    await expectNoLeaks(async () => {
      const k = tf.tensor2d([
        [2, 1],
        [1, 2],
      ]);
      const y = tf.tensor1d([1, -1]);
      const dynamics = await gradientDescentMse(k, y, { learningRate: 1 });
      const expected: [number, number][] = [
        [0, 0],
        [1, 0.393469],
        [5, 0.917915],
        [Number.POSITIVE_INFINITY, 1],
      ];
      for (const [t, v] of expected) {
        const { train, test } = dynamics.predict(t);
        expect(test).toBeUndefined();
        expect(train.dtype).toBe('float32');
        await expectClose(train, [v, -v], { atol: 1e-6, rtol: 0 });
        train.dispose();
      }
      dynamics.dispose();
      tf.dispose([k, y]);
    });
  });

  it('matches Euler steps of the function-space ODE (dt = 1e-3 to t = 2) on train and test', async () => {
    const eta = 2;
    const { f, fTest } = euler(K, K_TEST, Y, eta, 2, 1e-3);
    const k = tf.tensor2d(K);
    const kTestTrain = tf.tensor2d(K_TEST);
    const y = tf.tensor1d(Y);
    await expectNoLeaks(async () => {
      const dynamics = await gradientDescentMse(k, y, { learningRate: eta, kTestTrain });
      const { train, test } = dynamics.predict(2);
      expect(test?.shape).toEqual([2]);
      await expectClose(train, f, { atol: 1e-3, rtol: 0 });
      await expectClose(test as tf.Tensor, fTest, { atol: 1e-3, rtol: 0 });
      // and the ODE moved the outputs well away from 0 and from y: the check is not vacuous
      expect(Math.min(...f.map((v, i) => Math.abs(v - Y[i]!)))).toBeGreaterThan(0.01);
      expect(Math.max(...fTest.map(Math.abs))).toBeGreaterThan(0.05);
      tf.dispose([train, test as tf.Tensor]);
      dynamics.dispose();
    });
    tf.dispose([k, kTestTrain, y]);
  });

  it('reaches kernel regression at t = Infinity: f_test = K_test,train K⁻¹ y, f_train = y', async () => {
    const k = tf.tensor2d(K);
    const kTestTrain = tf.tensor2d(K_TEST);
    const y = tf.tensor1d(Y);
    const dynamics = await gradientDescentMse(k, y, { kTestTrain });
    const { train, test } = dynamics.predict(Number.POSITIVE_INFINITY);
    await expectClose(train, Y, { atol: 1e-5, rtol: 1e-5 });
    await expectClose(test as tf.Tensor, matVec(K_TEST, solve(K, Y)), { atol: 1e-5, rtol: 1e-5 });
    // a long finite time approaches the same limit
    const late = dynamics.predict(1e6);
    await expectClose(late.test as tf.Tensor, matVec(K_TEST, solve(K, Y)), { atol: 1e-4 });
    tf.dispose([train, test as tf.Tensor, late.train, late.test as tf.Tensor, k, kTestTrain, y]);
    dynamics.dispose();
  });

  it('evolves each column of y [N, O] on its own, with S = N·O in the rate', async () => {
    const columns = [Y, Y.map((v, i) => v * v - i)];
    const yMatrix = Y.map((_, i) => columns.map((c) => c[i]!));
    const k = tf.tensor2d(K);
    const kTestTrain = tf.tensor2d(K_TEST);
    const y = tf.tensor2d(yMatrix);
    const dynamics = await gradientDescentMse(k, y, { kTestTrain, learningRate: 1.5 });
    const { train, test } = dynamics.predict(3);
    expect(train.shape).toEqual([5, 2]);
    expect(test?.shape).toEqual([2, 2]);
    // η/S with S = 10 equals a single-output run (S = 5) at half the learning rate
    const trainRows: number[][] = [];
    const testRows: number[][] = [];
    for (const column of columns) {
      const { f, fTest } = euler(K, K_TEST, column, 1.5 / 2, 3, 1e-3);
      trainRows.push(f);
      testRows.push(fTest);
    }
    const byRow = (cols: number[][]) => cols[0]!.flatMap((_, i) => cols.map((c) => c[i]!));
    await expectClose(train, byRow(trainRows), { atol: 1e-3, rtol: 0 });
    await expectClose(test as tf.Tensor, byRow(testRows), { atol: 1e-3, rtol: 0 });
    tf.dispose([train, test as tf.Tensor, k, kTestTrain, y]);
    dynamics.dispose();
  });

  it('adds diagReg · mean(diag K) to the diagonal of the kernel it trains with', async () => {
    const meanDiagonal = K.reduce((s, row, i) => s + row[i]!, 0) / K.length;
    const regularized = K.map((row, i) =>
      row.map((v, j) => (i === j ? v + 0.5 * meanDiagonal : v)),
    );
    const k = tf.tensor2d(K);
    const kTestTrain = tf.tensor2d(K_TEST);
    const y = tf.tensor1d(Y);
    const dynamics = await gradientDescentMse(k, y, { kTestTrain, diagReg: 0.5 });
    const { train, test } = dynamics.predict(Number.POSITIVE_INFINITY);
    const ridge = matVec(K_TEST, solve(regularized, Y));
    await expectClose(train, Y, { atol: 1e-5, rtol: 1e-5 });
    await expectClose(test as tf.Tensor, ridge, { atol: 1e-5, rtol: 1e-5 });
    const plain = matVec(K_TEST, solve(K, Y));
    expect(Math.max(...ridge.map((v, i) => Math.abs(v - plain[i]!)))).toBeGreaterThan(0.05);
    const { f, fTest } = euler(regularized, K_TEST, Y, 1, 2, 1e-3);
    const early = dynamics.predict(2);
    await expectClose(early.train, f, { atol: 1e-3, rtol: 0 });
    await expectClose(early.test as tf.Tensor, fTest, { atol: 1e-3, rtol: 0 });
    tf.dispose([train, test as tf.Tensor, early.train, early.test as tf.Tensor, k, kTestTrain, y]);
    dynamics.dispose();
  });

  it('handles a singular kernel: the null space never moves, t = ∞ uses the pseudo-inverse', async () => {
    // rank 1: K = x xᵀ with x = [1, 2, 2]; y has a component orthogonal to x
    const x = [1, 2, 2];
    const k = tf.tensor2d(x.map((a) => x.map((b) => a * b)));
    const kTestTrain = tf.tensor2d([x.map((v) => 0.5 * v)]);
    const y = tf.tensor1d([3, 0, 0]);
    const dynamics = await gradientDescentMse(k, y, { kTestTrain });
    // along x/3 (λ = 9): coefficient ⟨y, x⟩/3 = 1, learned as 1 − e^{−9t/3}
    const t = 0.2;
    const learned = 1 - Math.exp(-3 * t);
    const { train, test } = dynamics.predict(t);
    await expectClose(
      train,
      x.map((v) => (learned * v) / 3),
      { atol: 1e-6 },
    );
    // f_test = K_test,train u · g(9) · ⟨y, u⟩ = (0.5 · 9/3) · (learned / 9) · 1 = learned / 6
    await expectClose(test as tf.Tensor, [learned / 6], { atol: 1e-6 });
    const limit = dynamics.predict(Number.POSITIVE_INFINITY);
    await expectClose(
      limit.train,
      x.map((v) => v / 3),
      { atol: 1e-6 },
    );
    await expectClose(limit.test as tf.Tensor, [1 / 6], { atol: 1e-6 });
    tf.dispose([train, test as tf.Tensor, limit.train, limit.test as tf.Tensor, k, kTestTrain, y]);
    dynamics.dispose();
  });

  it('predict after dispose throws DISPOSED; predict checks t', async () => {
    const k = tf.tensor2d([
      [2, 1],
      [1, 2],
    ]);
    const y = tf.tensor1d([1, -1]);
    const dynamics = await gradientDescentMse(k, y);
    expectDescentError(() => dynamics.predict(-1), 'BAD_HYPERPARAM', "predict's t", '-1');
    expectDescentError(() => dynamics.predict(Number.NaN), 'NON_FINITE', "predict's t");
    expectDescentError(() => dynamics.predict('1' as never), 'BAD_HYPERPARAM', "predict's t");
    dynamics.dispose();
    dynamics.dispose();
    expectDescentError(() => dynamics.predict(1), 'DISPOSED', 'after dispose');
    tf.dispose([k, y]);
  });
});
