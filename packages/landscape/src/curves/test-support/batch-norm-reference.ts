/**
 * Float64 references for the batch statistics of `@descent/nets`' `mlp({ norm: 'batch' })` (relu,
 * no bias before the norm, ε = 1e-3) in training mode.
 */

/** A dense matrix, row-major. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float64Array;
}

export function matrix(rows: number, cols: number, values: ArrayLike<number>): Matrix {
  return { rows, cols, data: Float64Array.from(values) };
}

function matMul(a: Matrix, b: Matrix): Matrix {
  const out = new Float64Array(a.rows * b.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.cols; j++) {
      let s = 0;
      for (let k = 0; k < a.cols; k++) s += a.data[i * a.cols + k]! * b.data[k * b.cols + j]!;
      out[i * b.cols + j] = s;
    }
  }
  return { rows: a.rows, cols: b.cols, data: out };
}

/** Per-column mean and biased variance. */
export function columnMoments(z: Matrix): { mean: number[]; variance: number[] } {
  const mean: number[] = [];
  const variance: number[] = [];
  for (let j = 0; j < z.cols; j++) {
    let s = 0;
    for (let i = 0; i < z.rows; i++) s += z.data[i * z.cols + j]!;
    const m = s / z.rows;
    let v = 0;
    for (let i = 0; i < z.rows; i++) v += (z.data[i * z.cols + j]! - m) ** 2;
    mean.push(m);
    variance.push(v / z.rows);
  }
  return { mean, variance };
}

/**
 * The batch statistics of every hidden layer's pre-norm output `z = h·W` for one batch, the net
 * normalizing with batch statistics (γ = 1, β = 0) and applying relu in between.
 */
export function hiddenBatchMoments(
  x: Matrix,
  kernels: readonly Matrix[],
): { mean: number[]; variance: number[] }[] {
  const out: { mean: number[]; variance: number[] }[] = [];
  let h = x;
  for (const kernel of kernels.slice(0, -1)) {
    const z = matMul(h, kernel);
    const moments = columnMoments(z);
    out.push(moments);
    const next = new Float64Array(z.data.length);
    for (let i = 0; i < z.rows; i++) {
      for (let j = 0; j < z.cols; j++) {
        const normed =
          (z.data[i * z.cols + j]! - moments.mean[j]!) / Math.sqrt(moments.variance[j]! + 1e-3);
        next[i * z.cols + j] = Math.max(0, normed);
      }
    }
    h = { rows: z.rows, cols: z.cols, data: next };
  }
  return out;
}

/** The average over batches of {@link hiddenBatchMoments}. */
export function averagedMoments(
  xs: readonly Matrix[],
  kernels: readonly Matrix[],
): { mean: number[]; variance: number[] }[] {
  const perBatch = xs.map((x) => hiddenBatchMoments(x, kernels));
  return (perBatch[0] ?? []).map((_, layer) => {
    const average = (pick: (m: { mean: number[]; variance: number[] }) => number[]) =>
      pick(perBatch[0]![layer]!).map(
        (_, j) => perBatch.reduce((s, b) => s + pick(b[layer]!)[j]!, 0) / perBatch.length,
      );
    return { mean: average((m) => m.mean), variance: average((m) => m.variance) };
  });
}
