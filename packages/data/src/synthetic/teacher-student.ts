import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Model,
  checkModel,
  checkNumber,
  checkOptions,
  formatShape,
  isDescentError,
  isTensor,
  describeValue,
} from '@descent/core';
import { type Dataset, shapeSize } from '../dataset';
import { checkCount, rngFromSeed, type Seed } from '../options';

/** Options of {@link teacherStudent}. */
export interface TeacherStudentOptions {
  /** The teacher network; `teacher.apply(teacher.params, x, { training: false })` labels the data. */
  teacher: Model;
  /** Number of examples (an integer ≥ 1). */
  n: number;
  /**
   * Input dimension `d` (inputs are `[n, d]`). Default: the `fanIn` of the teacher's first
   * parameter (in key order) whose info has role `'weight'` and layout `'dense'`.
   */
  inputDim?: number;
  /** Full per-example input shape instead of `inputDim`, e.g. `[28, 28, 1]` for a conv teacher. */
  inputShape?: number[];
  /** Standard deviation σ of Gaussian noise added to the teacher's outputs. Default 0. */
  noise?: number;
  /**
   * `'regression'` (default): targets are the (noisy) outputs. `'classification'`: labels are the
   * arg-max of the (noisy) outputs, or their sign when the teacher has one output.
   */
  task?: 'regression' | 'classification';
  /** Seed of the `Rng` that draws inputs and noise (integer or string). Default 0. */
  seed?: Seed;
}

const KNOWN = ['teacher', 'n', 'inputDim', 'inputShape', 'noise', 'task', 'seed'];
/** Examples per teacher call, to bound the memory of one forward pass. */
const CHUNK = 1024;

/**
 * A teacher–student dataset: Gaussian inputs labelled by a fixed "teacher" network, the standard
 * setting for studying what a "student" network can learn (Gardner & Derrida, 1989; Saad & Solla,
 * 1995) and a realizable target for optimization experiments (a zero-loss solution exists).
 *
 * **Generating process.** With `rng = new Rng(seed)`: `x = rng.normalArray(n·d)` (standard normal
 * inputs, `d = ∏ inputShape`), `f = teacher.apply(teacher.params, x, { training: false })` of
 * shape `[n, k]` (computed in chunks of 1024 on the active backend), then, if `σ > 0`,
 * `ε = rng.normalArray(n·k)` and `g = f + σ·ε` (else `g = f`).
 * - regression: `y = g` (float32, `yShape = [k]`);
 * - classification: `yᵢ = argmax_j gᵢⱼ` (ties to the lower index; `numClasses = k`), or for
 *   `k = 1`, `yᵢ = [gᵢ > 0]` (`numClasses = 2`). Noise thus flips labels near the boundary.
 *
 * Inputs and noise are identical on every backend; the outputs are the teacher's float32 forward
 * pass, so they may differ across backends in the last bits (and a classification label may flip
 * where two outputs tie within that).
 *
 * @throws DescentError `BAD_ARGUMENT` for a teacher that is not a `Model`, whose input size
 *   cannot be inferred, or that does not return a `[b, k]` tensor; `NON_FINITE` if it returns
 *   NaN or ±Infinity; `BAD_HYPERPARAM` for bad numbers; `UNKNOWN_PARAM` for an unknown option.
 * @example
 * ```ts
 * const teacher = mlp({ sizes: [10, 32, 1], seed: 1 });          // any core Model
 * const ds = await teacherStudent({ teacher, n: 2000, noise: 0.1, seed: 2 });
 * ```
 * @see E. Gardner & B. Derrida, _Three unfinished works on the optimal storage capacity of
 *   networks_, J. Phys. A 22, 1989; D. Saad & S. A. Solla, _On-line learning in soft committee
 *   machines_, Phys. Rev. E 52, 1995.
 */
export async function teacherStudent(options: TeacherStudentOptions): Promise<Dataset> {
  checkOptions('teacherStudent', options, KNOWN);
  const { teacher, n, noise = 0, task = 'regression', seed = 0 } = options;
  checkModel('teacherStudent.teacher', teacher);
  checkCount('teacherStudent.n', n);
  checkNumber('teacherStudent.noise', noise, { min: 0 });
  if (task !== 'regression' && task !== 'classification') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `teacherStudent.task must be 'regression' or 'classification', got ${describeValue(task)}.`,
    );
  }
  const inputShape = resolveInputShape(options, teacher);
  const d = shapeSize(inputShape);
  checkNumber('teacherStudent n·∏inputShape', n * d, { max: 2147483647 });
  const rng = rngFromSeed('teacherStudent.seed', seed);
  const x = rng.normalArray(n * d);

  let outputs: Float32Array | undefined;
  let k = 0;
  for (let start = 0; start < n; start += CHUNK) {
    const b = Math.min(CHUNK, n - start);
    let out: tf.Tensor;
    try {
      out = tf.tidy(() => {
        const xs = tf.tensor(x.subarray(start * d, (start + b) * d), [b, ...inputShape], 'float32');
        return teacher.apply(teacher.params, xs, { training: false });
      });
    } catch (error) {
      if (isDescentError(error)) throw error;
      throw new DescentError(
        'BAD_ARGUMENT',
        `teacherStudent.teacher.apply failed on inputs of shape ${formatShape([b, ...inputShape])} ` +
          `(do inputDim / inputShape fit the teacher?): ${(error as Error).message}`,
        { cause: error },
      );
    }
    try {
      if (!isTensor(out) || out.rank !== 2 || out.shape[0] !== b) {
        throw new DescentError(
          'BAD_ARGUMENT',
          `teacherStudent.teacher.apply must return a [batch, k] tensor; for a batch of ` +
            `${formatShape([b, ...inputShape])} it returned ${isTensor(out) ? formatShape(out.shape) : describeValue(out)}.`,
        );
      }
      if (outputs === undefined) {
        k = out.shape[1] as number;
        outputs = new Float32Array(n * k);
      }
      const values = await out.data();
      const bad = values.findIndex((v) => !Number.isFinite(v));
      if (bad >= 0) {
        throw new DescentError(
          'NON_FINITE',
          `teacherStudent.teacher returned ${values[bad]} for example ${start + Math.floor(bad / k)}; outputs must be finite.`,
        );
      }
      outputs.set(values, start * k);
    } finally {
      if (isTensor(out)) out.dispose();
    }
  }
  const g = outputs as Float32Array;
  if (noise > 0) {
    const eps = rng.normalArray(n * k);
    for (let i = 0; i < g.length; i++) g[i] = (g[i] as number) + noise * (eps[i] as number);
  }
  if (task === 'regression') return { x, xShape: inputShape, y: g, yShape: [k], n };

  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    if (k === 1) {
      y[i] = (g[i] as number) > 0 ? 1 : 0;
      continue;
    }
    let best = 0;
    for (let j = 1; j < k; j++)
      if ((g[i * k + j] as number) > (g[i * k + best] as number)) best = j;
    y[i] = best;
  }
  return { x, xShape: inputShape, y, yShape: [], n, numClasses: Math.max(k, 2) };
}

function resolveInputShape(options: TeacherStudentOptions, teacher: Model): number[] {
  const { inputDim, inputShape } = options;
  if (inputDim !== undefined && inputShape !== undefined) {
    throw new DescentError(
      'BAD_ARGUMENT',
      'teacherStudent takes inputDim or inputShape, not both.',
    );
  }
  if (inputShape !== undefined) {
    if (
      !Array.isArray(inputShape) ||
      inputShape.length === 0 ||
      !inputShape.every((s) => Number.isInteger(s) && s >= 1)
    ) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `teacherStudent.inputShape must be a non-empty array of positive integers, got ${describeValue(inputShape)}.`,
      );
    }
    return [...inputShape];
  }
  if (inputDim !== undefined) {
    checkNumber('teacherStudent.inputDim', inputDim, { integer: true, min: 1 });
    return [inputDim];
  }
  const first = Object.keys(teacher.params).find((key) => teacher.info[key]?.role === 'weight');
  const info = first === undefined ? undefined : teacher.info[first];
  if (info?.layout !== 'dense') {
    throw new DescentError(
      'BAD_ARGUMENT',
      `teacherStudent cannot infer the input size: the teacher's first weight ` +
        `${first === undefined ? '(none)' : JSON.stringify(first)} is not a dense kernel; pass inputDim or inputShape.`,
    );
  }
  return [info.fanIn];
}
