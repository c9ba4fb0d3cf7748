import { numberArith } from './arith';
import { type Step, propagate } from './recursion';

/** The NNGP and NTK of every pair, row-major `[N1, N2]`, in float64. */
export interface Float64Kernels {
  nngp: Float64Array;
  ntk: Float64Array;
}

/**
 * The kernels in float64 JS, one pair at a time. `x2 = null` is the symmetric kernel of `x1`: the
 * upper triangle is computed and mirrored, the diagonal with the diagonal formulas.
 */
export function float64Kernels(
  steps: readonly Step[],
  x1: Float64Array,
  x2: Float64Array | null,
  dim: number,
): Float64Kernels {
  const n1 = x1.length / dim;
  const other = x2 ?? x1;
  const n2 = other.length / dim;
  const sq1 = squaredNorms(x1, dim);
  const sq2 = x2 === null ? sq1 : squaredNorms(x2, dim);
  const nngp = new Float64Array(n1 * n2);
  const ntk = new Float64Array(n1 * n2);
  for (let i = 0; i < n1; i++) {
    for (let j = x2 === null ? i : 0; j < n2; j++) {
      const same = x2 === null && i === j;
      const cross = same ? (sq1[i] as number) : dot(x1, i, other, j, dim) / dim;
      const k = propagate(
        numberArith,
        steps,
        { cross, var1: sq1[i] as number, var2: sq2[j] as number },
        dim,
        (c, d) => (same ? d : c),
      );
      nngp[i * n2 + j] = k.nngp;
      ntk[i * n2 + j] = k.ntk;
      if (x2 === null) {
        nngp[j * n2 + i] = k.nngp;
        ntk[j * n2 + i] = k.ntk;
      }
    }
  }
  return { nngp, ntk };
}

function squaredNorms(x: Float64Array, dim: number): Float64Array {
  const n = x.length / dim;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = dot(x, i, x, i, dim) / dim;
  return out;
}

function dot(a: Float64Array, i: number, b: Float64Array, j: number, dim: number): number {
  let s = 0;
  for (let k = 0; k < dim; k++) s += (a[i * dim + k] as number) * (b[j * dim + k] as number);
  return s;
}
