/**
 * Test support (not exported): float64 references of every op, written from the papers'
 * equations on flat row-major arrays, independent of tfjs.
 */

/** Coordinates of flat index `i` in `shape`. */
export function coords(i: number, shape: readonly number[]): number[] {
  const c = new Array<number>(shape.length);
  for (let a = shape.length - 1; a >= 0; a--) {
    const d = shape[a] as number;
    c[a] = i % d;
    i = Math.floor(i / d);
  }
  return c;
}

/** Row-major flat index of `c` restricted to `axes` of `shape`. */
export function flatOver(
  c: readonly number[],
  shape: readonly number[],
  axes: readonly number[],
): number {
  let idx = 0;
  for (const a of axes) idx = idx * (shape[a] as number) + (c[a] as number);
  return idx;
}

/** Affine parameters as float64 arrays (either may be absent). */
export interface RefAffine {
  gamma?: ArrayLike<number>;
  beta?: ArrayLike<number>;
}

/**
 * `γ_p·(x − μ_k)/√(σ²_k + ε) + β_p` where `k = statKey(coords)` groups the elements whose
 * (biased) mean and variance are shared and `p = paramIndex(coords)` picks γ and β.
 */
export function normalizeByKey(
  x: ArrayLike<number>,
  shape: readonly number[],
  statKey: (c: number[]) => number,
  paramIndex: (c: number[]) => number,
  epsilon: number,
  affine: RefAffine,
): Float64Array {
  const keys = Array.from({ length: x.length }, (_, i) => statKey(coords(i, shape)));
  const { mean, variance } = statsByKey(x, keys);
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const k = keys[i] as number;
    const p = paramIndex(coords(i, shape));
    const xHat =
      ((x[i] as number) - (mean.get(k) as number)) /
      Math.sqrt((variance.get(k) as number) + epsilon);
    y[i] =
      xHat * (affine.gamma ? (affine.gamma[p] as number) : 1) +
      (affine.beta ? (affine.beta[p] as number) : 0);
  }
  return y;
}

/** Biased mean and variance of `x` per key (two passes). */
export function statsByKey(
  x: ArrayLike<number>,
  keys: readonly number[],
): { mean: Map<number, number>; variance: Map<number, number>; count: Map<number, number> } {
  const sum = new Map<number, number>();
  const count = new Map<number, number>();
  keys.forEach((k, i) => {
    sum.set(k, (sum.get(k) ?? 0) + (x[i] as number));
    count.set(k, (count.get(k) ?? 0) + 1);
  });
  const mean = new Map([...sum].map(([k, s]) => [k, s / (count.get(k) as number)]));
  const sq = new Map<number, number>();
  keys.forEach((k, i) => {
    sq.set(k, (sq.get(k) ?? 0) + ((x[i] as number) - (mean.get(k) as number)) ** 2);
  });
  const variance = new Map([...sq].map(([k, s]) => [k, s / (count.get(k) as number)]));
  return { mean, variance, count };
}

/** Per-channel (last axis `axis`) batch statistics as arrays. */
export function channelStats(
  x: ArrayLike<number>,
  shape: readonly number[],
  axis: number,
): { mean: Float64Array; variance: Float64Array; count: number } {
  const channels = shape[axis] as number;
  const keys = Array.from({ length: x.length }, (_, i) => coords(i, shape)[axis] as number);
  const s = statsByKey(x, keys);
  return {
    mean: Float64Array.from({ length: channels }, (_, c) => s.mean.get(c) as number),
    variance: Float64Array.from({ length: channels }, (_, c) => s.variance.get(c) as number),
    count: x.length / channels,
  };
}

/** Batch norm in training mode (batch statistics) over every axis but `axis`. */
export function refBatchNormTrain(
  x: ArrayLike<number>,
  shape: readonly number[],
  axis: number,
  epsilon: number,
  affine: RefAffine,
): Float64Array {
  return normalizeByKey(
    x,
    shape,
    (c) => c[axis] as number,
    (c) => c[axis] as number,
    epsilon,
    affine,
  );
}

/** Batch norm in inference mode: `γ(x − μ̂)/√(σ̂² + ε) + β` per channel on `axis`. */
export function refBatchNormEval(
  x: ArrayLike<number>,
  shape: readonly number[],
  axis: number,
  mean: ArrayLike<number>,
  variance: ArrayLike<number>,
  epsilon: number,
  affine: RefAffine,
): Float64Array {
  return Float64Array.from({ length: x.length }, (_, i) => {
    const c = coords(i, shape)[axis] as number;
    const xHat =
      ((x[i] as number) - (mean[c] as number)) / Math.sqrt((variance[c] as number) + epsilon);
    return xHat * (affine.gamma?.[c] ?? 1) + (affine.beta?.[c] ?? 0);
  });
}

/** Layer norm over `axes` (sorted); γ, β indexed over those axes. */
export function refLayerNorm(
  x: ArrayLike<number>,
  shape: readonly number[],
  axes: readonly number[],
  epsilon: number,
  affine: RefAffine,
): Float64Array {
  const others = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  return normalizeByKey(
    x,
    shape,
    (c) => flatOver(c, shape, others),
    (c) => flatOver(c, shape, axes),
    epsilon,
    affine,
  );
}

/** Group norm, channels last: key (n, ⌊c/(C/G)⌋); γ, β per channel. Instance norm is G = C. */
export function refGroupNorm(
  x: ArrayLike<number>,
  shape: readonly number[],
  groups: number,
  epsilon: number,
  affine: RefAffine,
): Float64Array {
  const last = shape.length - 1;
  const perGroup = (shape[last] as number) / groups;
  return normalizeByKey(
    x,
    shape,
    (c) => (c[0] as number) * groups + Math.floor((c[last] as number) / perGroup),
    (c) => c[last] as number,
    epsilon,
    affine,
  );
}

/**
 * Batch renorm in training: `γ((x − μ_B)/σ_B·r + d) + β`. `fixed` overrides r and d (the
 * backward pass treats them as constants, so the gradient reference holds them fixed).
 */
export function refBatchRenormTrain(
  x: ArrayLike<number>,
  shape: readonly number[],
  axis: number,
  running: { mean: ArrayLike<number>; variance: ArrayLike<number> },
  o: { rMax: number; dMax: number; epsilon: number },
  affine: RefAffine,
  fixed?: { r: Float64Array; d: Float64Array },
): { y: Float64Array; r: Float64Array; d: Float64Array } {
  const { mean, variance } = channelStats(x, shape, axis);
  const channels = shape[axis] as number;
  const r = new Float64Array(channels);
  const d = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    const sigmaB = Math.sqrt((variance[c] as number) + o.epsilon);
    const sigma = Math.sqrt((running.variance[c] as number) + o.epsilon);
    r[c] = fixed ? (fixed.r[c] as number) : clip(sigmaB / sigma, 1 / o.rMax, o.rMax);
    d[c] = fixed
      ? (fixed.d[c] as number)
      : clip(((mean[c] as number) - (running.mean[c] as number)) / sigma, -o.dMax, o.dMax);
  }
  const y = Float64Array.from({ length: x.length }, (_, i) => {
    const c = coords(i, shape)[axis] as number;
    const xHat =
      (((x[i] as number) - (mean[c] as number)) / Math.sqrt((variance[c] as number) + o.epsilon)) *
        (r[c] as number) +
      (d[c] as number);
    return xHat * (affine.gamma?.[c] ?? 1) + (affine.beta?.[c] ?? 0);
  });
  return { y, r, d };
}

/** `W[…, j] = g_j·v[…, j]/‖v[…, j]‖`, units on the last axis. */
export function refWeightNorm(
  v: ArrayLike<number>,
  shape: readonly number[],
  g: ArrayLike<number>,
): Float64Array {
  const out = shape[shape.length - 1] as number;
  const norms = new Float64Array(out);
  for (let i = 0; i < v.length; i++)
    norms[i % out] = (norms[i % out] as number) + (v[i] as number) ** 2;
  return Float64Array.from({ length: v.length }, (_, i) => {
    const j = i % out;
    return ((g[j] as number) * (v[i] as number)) / Math.sqrt(norms[j] as number);
  });
}

/** `Mu` for a row-major `rows × cols` matrix. */
export function matVec(
  m: ArrayLike<number>,
  rows: number,
  cols: number,
  u: ArrayLike<number>,
): Float64Array {
  return Float64Array.from({ length: rows }, (_, r) => {
    let s = 0;
    for (let c = 0; c < cols; c++) s += (m[r * cols + c] as number) * (u[c] as number);
    return s;
  });
}

/** `Mᵀv`. */
export function matTVec(
  m: ArrayLike<number>,
  rows: number,
  cols: number,
  v: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++)
      out[c] = (out[c] as number) + (m[r * cols + c] as number) * (v[r] as number);
  }
  return out;
}

export function unit(v: Float64Array): Float64Array {
  const n = Math.sqrt(v.reduce((s, e) => s + e * e, 0));
  return v.map((e) => e / n);
}

/** Miyato's power iteration on `M = reshape(W, [−1, out])`: `iterations` × (v = Mu/‖·‖, u = Mᵀv/‖·‖). */
export function refPowerIteration(
  w: ArrayLike<number>,
  rows: number,
  cols: number,
  u0: ArrayLike<number>,
  iterations: number,
): Float64Array {
  let u: Float64Array = Float64Array.from(u0);
  for (let i = 0; i < iterations; i++) {
    const v = unit(matVec(w, rows, cols, u));
    u = unit(matTVec(w, rows, cols, v));
  }
  return u;
}

/** `W/‖Mu‖` for a fixed `u` (constant in the backward pass, as in the paper). */
export function refSpectralNormalize(
  w: ArrayLike<number>,
  rows: number,
  cols: number,
  u: ArrayLike<number>,
): Float64Array {
  const mu = matVec(w, rows, cols, u);
  const sigma = Math.sqrt(mu.reduce((s, e) => s + e * e, 0));
  return Float64Array.from(w, (e) => e / sigma);
}

function softmax(l: ArrayLike<number>): number[] {
  const m = Math.max(...Array.from(l));
  const e = Array.from(l, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/**
 * Switchable norm, channels last: mixes IN (n, c), LN (n) and BN (c) statistics with
 * softmax weights; BN uses `running` in inference.
 */
export function refSwitchableNorm(
  x: ArrayLike<number>,
  shape: readonly number[],
  meanLogits: ArrayLike<number>,
  varLogits: ArrayLike<number>,
  epsilon: number,
  affine: RefAffine,
  running?: { mean: ArrayLike<number>; variance: ArrayLike<number> },
): Float64Array {
  const last = shape.length - 1;
  const channels = shape[last] as number;
  const cs = Array.from({ length: x.length }, (_, i) => coords(i, shape));
  const inKeys = cs.map((c) => (c[0] as number) * channels + (c[last] as number));
  const lnKeys = cs.map((c) => c[0] as number);
  const bnKeys = cs.map((c) => c[last] as number);
  const sIn = statsByKey(x, inKeys);
  const sLn = statsByKey(x, lnKeys);
  const sBn = statsByKey(x, bnKeys);
  const wm = softmax(meanLogits);
  const wv = softmax(varLogits);
  return Float64Array.from({ length: x.length }, (_, i) => {
    const c = bnKeys[i] as number;
    const bnMean = running ? (running.mean[c] as number) : (sBn.mean.get(c) as number);
    const bnVar = running ? (running.variance[c] as number) : (sBn.variance.get(c) as number);
    const mu =
      (wm[0] as number) * (sIn.mean.get(inKeys[i] as number) as number) +
      (wm[1] as number) * (sLn.mean.get(lnKeys[i] as number) as number) +
      (wm[2] as number) * bnMean;
    const v =
      (wv[0] as number) * (sIn.variance.get(inKeys[i] as number) as number) +
      (wv[1] as number) * (sLn.variance.get(lnKeys[i] as number) as number) +
      (wv[2] as number) * bnVar;
    const xHat = ((x[i] as number) - mu) / Math.sqrt(v + epsilon);
    return xHat * (affine.gamma?.[c] ?? 1) + (affine.beta?.[c] ?? 0);
  });
}

function clip(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
