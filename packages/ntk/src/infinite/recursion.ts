import type { Arith } from './arith';
import type { Moments } from './layer';

/** One step of a compiled net: an affine (dense) map or a nonlinearity. */
export type Step =
  | {
      readonly type: 'dense';
      readonly weightStd: number;
      readonly biasStd: number;
      readonly parameterization: 'ntk' | 'standard';
      /** The fan-in for `'standard'`: `'data'` for the first dense (the input dimension). */
      readonly fanIn: number | 'data' | undefined;
    }
  | { readonly type: 'nonlinearity'; readonly moments: Moments };

/** The covariance of a pair, the variances of its two points, and the cross NTK. */
export interface KernelState<T> {
  cross: T;
  var1: T;
  var2: T;
  ntk: T;
}

/**
 * Runs the NNGP/NTK recursions of Jacot et al. (2018), Lee et al. (2019) and Arora et al. (2019)
 * through `steps`. The state starts as the data kernel `q = x·x′/d` with NTK 0. A dense step
 * maps `K = σ_w² q + σ_b²` (and the variances alike) and `Θ = K + σ_w² Θ̃` (`'ntk'`) or
 * `Θ = n q + 1 + σ_w² Θ̃` (`'standard'`, fan-in `n`); a nonlinearity maps `q = E[φ(u)φ(v)]`
 * under `N(0, K)`, its variances by the diagonal formulas, and `Θ̃ = Σ̇ Θ`.
 * `onDiagonal(cross, diag)` replaces the pairs of a point with itself by `diag` (the symmetric
 * kernel's diagonal) and leaves everything else as it is.
 */
export function propagate<T>(
  A: Arith<T>,
  steps: readonly Step[],
  input: Omit<KernelState<T>, 'ntk'>,
  dataDim: number,
  onDiagonal: (cross: T, diag: T) => T,
): { nngp: T; ntk: T } {
  let state: KernelState<T> = { ...input, ntk: A.fill(input.cross, 0) };
  for (const step of steps) {
    state =
      step.type === 'dense'
        ? denseStep(A, step, state, step.fanIn === 'data' ? dataDim : step.fanIn)
        : nonlinearityStep(A, step.moments, state, onDiagonal);
  }
  return { nngp: state.cross, ntk: state.ntk };
}

function denseStep<T>(
  A: Arith<T>,
  step: Extract<Step, { type: 'dense' }>,
  s: KernelState<T>,
  fanIn: number | undefined,
): KernelState<T> {
  const w2 = step.weightStd * step.weightStd;
  const b2 = step.biasStd * step.biasStd;
  const affine = (q: T) => A.add(A.mul(q, w2), b2);
  const cross = affine(s.cross);
  const carried = A.mul(s.ntk, w2);
  // 'standard' differentiates W and b themselves: Σᵢ xᵢx′ᵢ = n·q for W and 1 for b.
  const own = step.parameterization === 'ntk' ? cross : A.add(A.mul(s.cross, fanIn as number), 1);
  const var1 = affine(s.var1);
  return {
    cross,
    var1,
    var2: s.var2 === s.var1 ? var1 : affine(s.var2),
    ntk: A.add(own, carried),
  };
}

function nonlinearityStep<T>(
  A: Arith<T>,
  moments: Moments,
  s: KernelState<T>,
  onDiagonal: (cross: T, diag: T) => T,
): KernelState<T> {
  const pair = moments.cross(A, s.cross, s.var1, s.var2);
  const first = moments.diag(A, s.var1);
  const second = s.var2 === s.var1 ? first : moments.diag(A, s.var2);
  return {
    cross: onDiagonal(pair.q, first.q),
    var1: first.q,
    var2: second.q,
    ntk: A.mul(onDiagonal(pair.dot, first.dot), s.ntk),
  };
}
