import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  OptionReader,
  checkNumber,
  formatShape,
  symmetricEigen,
} from '@descent/core';
import {
  checkNumericTensor,
  checkSquareKernel,
  readFinite,
  readSymmetricKernel,
} from './host-matrix';

/** Options of {@link gradientDescentMse}. */
export interface GradientDescentMseOptions {
  /** The learning rate `η` of the gradient flow, > 0 (default 1). */
  learningRate?: number;
  /** The kernel between test and training inputs, `[M, N]`; gives `test` predictions. */
  kTestTrain?: tf.Tensor;
  /**
   * Ridge added to the diagonal of `kTrainTrain`, ≥ 0 (default 0), relative to the kernel's
   * scale: `K + diagReg · mean(diag K) · I`, neural-tangents' default
   * (`diag_reg_absolute_scale=False`).
   */
  diagReg?: number;
}

/** The predictions of {@link MseDynamics.predict} at one time, float32, shaped like `yTrain`. */
export interface MsePrediction {
  /** `f_train(t)`, the shape of `yTrain` (`[N]` or `[N, O]`). */
  train: tf.Tensor;
  /** `f_test(t)`, `[M]` or `[M, O]`; present when `kTestTrain` was given. */
  test?: tf.Tensor;
}

/** What {@link gradientDescentMse} returns: the outputs at any time, from one eigendecomposition. */
export interface MseDynamics {
  /**
   * The outputs after training for time `t` (`t` steps of size 1 in the small-step limit), or
   * the kernel-regression limit at `t = Infinity`. Returns new float32 tensors; the caller
   * disposes them.
   *
   * @throws DescentError `DISPOSED` after {@link MseDynamics.dispose}, `BAD_HYPERPARAM` /
   *   `NON_FINITE` for a `t` that is negative, NaN or not a number.
   */
  predict(t: number): MsePrediction;
  /** Drops the cached eigendecomposition (host memory only; no tensors are held). */
  dispose(): void;
}

const KNOWN = ['learningRate', 'kTestTrain', 'diagReg'];
/** The inputs' precision: eigenvalues below `N · ε₃₂ · λ_max` are rounding noise of a float32 kernel. */
const FLOAT32_EPSILON = 2 ** -23;
const WHAT = 'gradientDescentMse';

/**
 * The outputs of a linearized (infinitely wide) network trained by gradient flow on the mean
 * squared error, in closed form: neural-tangents' `predict.gradient_descent_mse` for tfjs.
 *
 * With the loss `L = ½‖f − y‖² / S`, where `S = yTrain.size` (the number of training outputs,
 * `N·O`, neural-tangents' normalization), gradient flow with learning rate `η` moves the
 * training outputs by `df/dt = −(η/S) K (f − y)`, so with `f₀ = 0`
 *
 *   f_train(t) = y + e^{−ηtK/S}(f₀ − y) = V (I − e^{−ηtΛ/S}) Vᵀ y,
 *   f_test(t)  = K_test,train K⁻¹ (I − e^{−ηtK/S}) y = K_test,train V g(Λ) Vᵀ y,
 *
 * with `K = VΛVᵀ` (one `symmetricEigen` call, cached) and `g(λ) = (1 − e^{−ηtλ/S})/λ`, whose
 * value at `λ = 0` is its limit `ηt/S`. Each output column of a `[N, O]` target evolves on its
 * own with the same `N × N` kernel. As in neural-tangents, eigenvalues below 0 (rounding of a
 * positive semi-definite kernel) count as 0: those modes do not move. At `t = Infinity`,
 * `f_test = K_test,train K⁺ y` with the pseudo-inverse `K⁺` (eigenvalues at most
 * `N · ε₃₂ · λ_max` count as 0, `ε₃₂ = 2⁻²³` the precision of the float32 inputs), and
 * `f_train` is `y` projected on the range of `K`.
 *
 * Everything is computed in float64 on the host; the inputs are read once with `await data()`,
 * so `predict` is synchronous and cheap (`O(N²·O + M·N·O)`). `kTrainTrain` must be symmetric
 * within `1e-5 · max|K|` (it is then symmetrized).
 *
 * @param kTrainTrain - The NTK of the training inputs, `[N, N]`, float32 or int32.
 * @param yTrain - The targets, `[N]` or `[N, O]`.
 * @param options - `learningRate` (1), `kTestTrain` (none), `diagReg` (0, relative to
 *   `mean(diag K)`).
 * @returns the dynamics: `predict(t)` and `dispose()`.
 * @throws DescentError before reading anything: `SHAPE_MISMATCH` (`kTrainTrain` not square,
 *   `yTrain` not `[N]` or `[N, O]` with `O ≥ 1`, `kTestTrain` not `[M, N]`), `DTYPE_MISMATCH`,
 *   `BAD_ARGUMENT` (not tensors, options not a plain object), `DISPOSED`, `UNKNOWN_PARAM` (an
 *   unknown option), `BAD_HYPERPARAM` (`learningRate ≤ 0`, `diagReg < 0`); after reading, before
 *   allocating: `NON_FINITE` (a NaN or infinite entry), `BAD_ARGUMENT` (`kTrainTrain` not
 *   symmetric, naming the largest asymmetry).
 * @example
 * ```ts
 * const k = tf.tensor2d([[2, 1], [1, 2]]);
 * const y = tf.tensor1d([1, -1]);
 * const dynamics = await gradientDescentMse(k, y, { learningRate: 1 });
 * const { train } = dynamics.predict(1); // [0.393469, -0.393469]
 * dynamics.dispose();
 * ```
 * @see A. Jacot, F. Gabriel, C. Hongler, Neural Tangent Kernel, NeurIPS 2018; J. Lee et al.,
 *   Wide Neural Networks of Any Depth Evolve as Linear Models Under Gradient Descent, NeurIPS 2019.
 */
export async function gradientDescentMse(
  kTrainTrain: tf.Tensor,
  yTrain: tf.Tensor,
  options: GradientDescentMseOptions = {},
): Promise<MseDynamics> {
  const plan = readGradientDescentMse(kTrainTrain, yTrain, options);
  const k = await readSymmetricKernel(`${WHAT}: kTrainTrain`, kTrainTrain);
  const y = await readFinite(`${WHAT}: yTrain`, yTrain);
  const kTest = plan.kTestTrain && (await readFinite(`${WHAT}.kTestTrain`, plan.kTestTrain));
  addRidge(k, plan.n, plan.diagReg);
  return new EigenDynamics(plan, k, y, kTest ?? null);
}

interface Plan {
  n: number;
  outputs: number;
  yShape: number[];
  learningRate: number;
  diagReg: number;
  kTestTrain: tf.Tensor | undefined;
}

function readGradientDescentMse(kTrainTrain: unknown, yTrain: unknown, options: unknown): Plan {
  const n = checkSquareKernel(`${WHAT}: kTrainTrain`, kTrainTrain);
  checkNumericTensor(`${WHAT}: yTrain`, yTrain);
  const [rows, outputs = 1] = yTrain.shape;
  if ((yTrain.rank !== 1 && yTrain.rank !== 2) || rows !== n || outputs < 1) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${WHAT}: yTrain has shape ${formatShape(yTrain.shape)}, expected [${n}] or [${n}, O] with O ≥ 1 (N = ${n} rows of kTrainTrain).`,
    );
  }
  const read = new OptionReader(WHAT, options, KNOWN);
  const learningRate = read.number('learningRate', 1, { min: 0, minExclusive: true });
  const diagReg = read.number('diagReg', 0, { min: 0 });
  const kTestTrain = read.raw('kTestTrain');
  if (kTestTrain !== undefined) {
    checkNumericTensor(read.name('kTestTrain'), kTestTrain);
    if (kTestTrain.rank !== 2 || kTestTrain.shape[1] !== n) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `${read.name('kTestTrain')} has shape ${formatShape(kTestTrain.shape)}, expected [M, ${n}] (N = ${n} columns, one per training input).`,
      );
    }
  }
  return { n, outputs, yShape: yTrain.shape, learningRate, diagReg, kTestTrain };
}

/** `K ← K + diagReg · mean(diag K) · I`. */
function addRidge(k: Float64Array, n: number, diagReg: number): void {
  if (diagReg === 0) return;
  let trace = 0;
  for (let i = 0; i < n; i++) trace += k[i * n + i]!;
  const ridge = (diagReg * trace) / n;
  for (let i = 0; i < n; i++) k[i * n + i] = k[i * n + i]! + ridge;
}

/** The cached eigendecomposition and the projections `Vᵀy`, `K_test,train V`. */
interface Cache {
  values: Float64Array;
  vectors: Float64Array;
  /** `Vᵀy`, `[N, O]`: row `i` is eigenvector `i` against each output column. */
  projected: Float64Array;
  /** `K_test,train V`, `[M, N]`. */
  testVectors: Float64Array | null;
  testRows: number;
  /** Eigenvalues at most this count as 0 in the `t = Infinity` limit. */
  nullThreshold: number;
}

class EigenDynamics implements MseDynamics {
  private cache: Cache | null;
  private readonly n: number;
  private readonly outputs: number;
  private readonly yShape: number[];
  /** `η / S`. */
  private readonly rate: number;

  constructor(plan: Plan, k: Float64Array, y: Float64Array, kTest: Float64Array | null) {
    const { n, outputs } = plan;
    this.n = n;
    this.outputs = outputs;
    this.yShape = plan.yShape;
    this.rate = plan.learningRate / (n * outputs);
    const { values, vectors } = symmetricEigen(k, n);
    const testRows = kTest ? kTest.length / n : 0;
    this.cache = {
      values,
      vectors,
      projected: multiply(vectors, y, n, n, outputs),
      testVectors: kTest && multiplyTransposed(kTest, vectors, testRows, n, n),
      testRows,
      nullThreshold: n * FLOAT32_EPSILON * Math.max(values[0]!, 0),
    };
  }

  predict(t: number): MsePrediction {
    const cache = this.cache;
    if (cache === null) {
      throw new DescentError('DISPOSED', `${WHAT}: predict was called after dispose().`);
    }
    if (t !== Number.POSITIVE_INFINITY) checkNumber(`${WHAT}: predict's t`, t, { min: 0 });
    const { values, vectors, projected, testVectors, testRows, nullThreshold } = cache;
    const n = this.n;
    const o = this.outputs;
    const trainCoefficients = new Float64Array(n * o);
    const testCoefficients = new Float64Array(n * o);
    for (let i = 0; i < n; i++) {
      const { train, test } = modeFactors(values[i]!, t, this.rate, nullThreshold);
      for (let c = 0; c < o; c++) {
        trainCoefficients[i * o + c] = train * projected[i * o + c]!;
        testCoefficients[i * o + c] = test * projected[i * o + c]!;
      }
    }
    const train = multiplyLeftTransposed(vectors, trainCoefficients, n, n, o);
    const out: MsePrediction = { train: tf.tensor(Float32Array.from(train), this.yShape) };
    if (testVectors) {
      const test = multiply(testVectors, testCoefficients, testRows, n, o);
      const shape = this.yShape.length === 1 ? [testRows] : [testRows, o];
      out.test = tf.tensor(Float32Array.from(test), shape);
    }
    return out;
  }

  dispose(): void {
    this.cache = null;
  }
}

/**
 * How much of the mode with eigenvalue `λ` has been learned at time `t`: `1 − e^{−rλt}` on the
 * training set, and that divided by `λ` (limit `rt` at `λ = 0`) for the test set. `λ < 0` counts
 * as 0; at `t = ∞`, `(1, 1/λ)` above `nullThreshold` and `(0, 0)` at or below it.
 */
function modeFactors(
  lambda: number,
  t: number,
  rate: number,
  nullThreshold: number,
): { train: number; test: number } {
  if (t === Number.POSITIVE_INFINITY) {
    return lambda > nullThreshold ? { train: 1, test: 1 / lambda } : { train: 0, test: 0 };
  }
  const positive = Math.max(lambda, 0);
  const train = -Math.expm1(-rate * t * positive);
  return { train, test: positive === 0 ? rate * t : train / positive };
}

/** `A B` for row-major `A [r, k]`, `B [k, c]`. */
function multiply(a: Float64Array, b: Float64Array, r: number, k: number, c: number) {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < k; j++) {
      const aij = a[i * k + j]!;
      for (let l = 0; l < c; l++) out[i * c + l] = out[i * c + l]! + aij * b[j * c + l]!;
    }
  }
  return out;
}

/** `A Bᵀ` for row-major `A [r, k]`, `B [c, k]`. */
function multiplyTransposed(a: Float64Array, b: Float64Array, r: number, k: number, c: number) {
  const out = new Float64Array(r * c);
  for (let i = 0; i < r; i++) {
    for (let l = 0; l < c; l++) {
      let sum = 0;
      for (let j = 0; j < k; j++) sum += a[i * k + j]! * b[l * k + j]!;
      out[i * c + l] = sum;
    }
  }
  return out;
}

/** `Aᵀ B` for row-major `A [k, r]`, `B [k, c]`. */
function multiplyLeftTransposed(a: Float64Array, b: Float64Array, k: number, r: number, c: number) {
  const out = new Float64Array(r * c);
  for (let j = 0; j < k; j++) {
    for (let i = 0; i < r; i++) {
      const aji = a[j * r + i]!;
      for (let l = 0; l < c; l++) out[i * c + l] = out[i * c + l]! + aji * b[j * c + l]!;
    }
  }
  return out;
}
