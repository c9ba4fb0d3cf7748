import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@descent/core';
import { expectClose, forEachBackend } from '@descent/core/testing';
import { beforeAll, it } from 'vitest';
import { dense } from './dense';
import { erf } from './erf';
import type { Layer } from './layer';
import { relu } from './relu';
import { serial } from './serial';
import { erf64, erfDerivative } from './test-support/float64-math';

/**
 * Monte-Carlo check of the analytic kernels: averages of the empirical NNGP and NTK of 200
 * sampled finite nets of width 512 (4 points in d = 3) agree with kernelFn within rtol 0.05,
 * atol 0.01 (neural-tangents' tolerances), for ReLU and erf, 1, 2 and 3 hidden layers, with
 * biases, in both parameterizations.
 *
 * One draw of standard normals ω, β per layer serves every configuration: both parameterizations
 * compute the same function (`σ_w/√n · x ω + σ_b β`) and differ only in which parameters the NTK
 * differentiates; depth L uses hidden layers 1..L and the shared readout. The readout has 64
 * outputs: the NNGP sample is the mean of f_a(x) f_a(x′) over them; the NTK is that of output 0,
 * Σ_θ ∂f₀(x)/∂θ · ∂f₀(x′)/∂θ, computed per layer as c_W (h·h′)(δ·δ′) + c_b (δ·δ′) from the
 * layer input h and the backpropagated δ = ∂f₀/∂z (c_W = σ_w²/n, c_b = σ_b² for 'ntk'; 1 and 1
 * for 'standard', which differentiates W = σ_w ω/√n and b = σ_b β themselves).
 */
// Pairwise correlations from 0.2 to 0.8: a cross kernel near 0 would drown in the sampling noise.
const X = [
  [1.2, 0.1, 0.2],
  [0.1, 1, 0.3],
  [0.3, 0.2, 1.1],
  [0.7, 0.6, 0.5],
];
const N = X.length;
const D = 3;
const WIDTH = 512;
const OUTPUTS = 64;
const SAMPLES = 200;
const DEPTHS = [1, 2, 3];
const HIDDEN = { weightStd: 1.4, biasStd: 0.3 };
const READOUT = { weightStd: 1.1, biasStd: 0.2 };
const ACTIVATIONS = {
  relu: { f: (z: number) => Math.max(z, 0), df: (z: number) => (z > 0 ? 1 : 0), layer: relu },
  erf: { f: erf64, df: erfDerivative, layer: erf },
} as const;
type Activation = keyof typeof ACTIVATIONS;
type Parameterization = 'ntk' | 'standard';

interface Estimate {
  nngp: Float64Array;
  ntk: Record<Parameterization, Float64Array>;
}

interface Draw {
  hidden: { w: Float32Array; b: Float32Array; fanIn: number }[];
  readout: { w: Float32Array; b: Float32Array };
}

function draw(rng: Rng): Draw {
  const hidden = DEPTHS.map((_, l) => {
    const fanIn = l === 0 ? D : WIDTH;
    return { w: rng.normalArray(fanIn * WIDTH), b: rng.normalArray(WIDTH), fanIn };
  });
  return { hidden, readout: { w: rng.normalArray(WIDTH * OUTPUTS), b: rng.normalArray(OUTPUTS) } };
}

/** z = σ_w/√n · h ω + σ_b β for every point (h: [N, n] row-major). */
function affine(
  h: Float64Array,
  w: Float32Array,
  b: Float32Array,
  fanIn: number,
  out: number,
  std: typeof HIDDEN,
) {
  const z = new Float64Array(N * out);
  const scale = std.weightStd / Math.sqrt(fanIn);
  for (let p = 0; p < N; p++) {
    for (let i = 0; i < fanIn; i++) {
      const hv = scale * (h[p * fanIn + i] as number);
      for (let j = 0; j < out; j++)
        z[p * out + j] = (z[p * out + j] as number) + hv * (w[i * out + j] as number);
    }
    for (let j = 0; j < out; j++)
      z[p * out + j] = (z[p * out + j] as number) + std.biasStd * (b[j] as number);
  }
  return z;
}

/** Σ_k a[p, k]·a[q, k] for every pair of points. */
function gram(a: Float64Array, size: number): Float64Array {
  const g = new Float64Array(N * N);
  for (let p = 0; p < N; p++) {
    for (let q = 0; q < N; q++) {
      let s = 0;
      for (let k = 0; k < size; k++) s += (a[p * size + k] as number) * (a[q * size + k] as number);
      g[p * N + q] = s;
    }
  }
  return g;
}

/** Adds one sampled net's empirical kernels, for each depth, to `sums`. */
function accumulate(net: Draw, activation: Activation, sums: Estimate[]): void {
  const { f, df } = ACTIVATIONS[activation];
  const inputs: Float64Array[] = [Float64Array.from(X.flat())];
  const pre: Float64Array[] = [];
  net.hidden.forEach(({ w, b, fanIn }, l) => {
    const z = affine(inputs[l] as Float64Array, w, b, fanIn, WIDTH, HIDDEN);
    pre.push(z);
    inputs.push(z.map(f));
  });
  DEPTHS.forEach((depth, index) => {
    const sum = sums[index] as Estimate;
    const h = inputs[depth] as Float64Array;
    const out = affine(h, net.readout.w, net.readout.b, WIDTH, OUTPUTS, READOUT);
    const nngp = gram(out, OUTPUTS);
    // Readout of output 0: ∂f₀/∂z = 1, then δ_j = σ_w/√n ω_j0 φ′(z_j) for the last hidden layer.
    addTerm(sum, gram(h, WIDTH), new Float64Array(N * N).fill(1), READOUT, WIDTH);
    let delta = new Float64Array(N * WIDTH);
    const z = pre[depth - 1] as Float64Array;
    const scale = READOUT.weightStd / Math.sqrt(WIDTH);
    for (let p = 0; p < N; p++) {
      for (let j = 0; j < WIDTH; j++) {
        delta[p * WIDTH + j] =
          scale * (net.readout.w[j * OUTPUTS] as number) * df(z[p * WIDTH + j] as number);
      }
    }
    for (let l = depth - 1; l >= 0; l--) {
      const layer = net.hidden[l] as Draw['hidden'][number];
      addTerm(
        sum,
        gram(inputs[l] as Float64Array, layer.fanIn),
        gram(delta, WIDTH),
        HIDDEN,
        layer.fanIn,
      );
      if (l > 0) delta = backprop(delta, layer.w, pre[l - 1] as Float64Array, df);
    }
    for (let k = 0; k < N * N; k++)
      sum.nngp[k] = (sum.nngp[k] as number) + (nngp[k] as number) / OUTPUTS;
  });
}

/** δ^{l−1}_i = φ′(z_i) · σ_w/√n Σ_j ω_ij δ^l_j. */
function backprop(
  delta: Float64Array,
  w: Float32Array,
  z: Float64Array,
  df: (z: number) => number,
) {
  const scale = HIDDEN.weightStd / Math.sqrt(WIDTH);
  const out = new Float64Array(N * WIDTH);
  for (let p = 0; p < N; p++) {
    for (let i = 0; i < WIDTH; i++) {
      let s = 0;
      for (let j = 0; j < WIDTH; j++)
        s += (w[i * WIDTH + j] as number) * (delta[p * WIDTH + j] as number);
      out[p * WIDTH + i] = df(z[p * WIDTH + i] as number) * scale * s;
    }
  }
  return out;
}

/** One layer's Σ_θ ∂f(x)/∂θ ∂f(x′)/∂θ: weights (h·h′)(δ·δ′), biases δ·δ′, scaled per parameterization. */
function addTerm(
  sum: Estimate,
  hh: Float64Array,
  dd: Float64Array,
  std: typeof HIDDEN,
  fanIn: number,
) {
  for (let k = 0; k < N * N; k++) {
    const weights = (hh[k] as number) * (dd[k] as number);
    const biases = dd[k] as number;
    sum.ntk.ntk[k] =
      (sum.ntk.ntk[k] as number) +
      (std.weightStd ** 2 / fanIn) * weights +
      std.biasStd ** 2 * biases;
    sum.ntk.standard[k] = (sum.ntk.standard[k] as number) + weights + biases;
  }
}

function analyticNet(
  activation: Activation,
  depth: number,
  parameterization: Parameterization,
): Layer[] {
  const layers: Layer[] = [];
  for (let l = 0; l < depth; l++) {
    layers.push(
      dense({ ...HIDDEN, parameterization, width: WIDTH }),
      ACTIVATIONS[activation].layer(),
    );
  }
  layers.push(dense({ ...READOUT, parameterization }));
  return layers;
}

const estimates = new Map<Activation, Estimate[]>();

beforeAll(() => {
  const rng = new Rng('ntk infinite monte carlo');
  const sums = (): Estimate[] =>
    DEPTHS.map(() => ({
      nngp: new Float64Array(N * N),
      ntk: { ntk: new Float64Array(N * N), standard: new Float64Array(N * N) },
    }));
  const bySample = { relu: sums(), erf: sums() };
  for (let s = 0; s < SAMPLES; s++) {
    const net = draw(rng);
    accumulate(net, 'relu', bySample.relu);
    accumulate(net, 'erf', bySample.erf);
  }
  for (const activation of ['relu', 'erf'] as const) {
    for (const sum of bySample[activation]) {
      for (const k of [sum.nngp, sum.ntk.ntk, sum.ntk.standard])
        k.forEach((v, i) => {
          k[i] = v / SAMPLES;
        });
    }
    estimates.set(activation, bySample[activation]);
  }
}, 120_000);

forEachBackend(
  'infinite-width kernels against Monte-Carlo averages of finite nets',
  () => {
    for (const activation of ['relu', 'erf'] as const) {
      for (const depth of DEPTHS) {
        it(`${activation}, ${depth} hidden layer(s), both parameterizations`, async () => {
          const estimate = (estimates.get(activation) as Estimate[])[depth - 1] as Estimate;
          for (const parameterization of ['ntk', 'standard'] as const) {
            const { kernelFn } = serial(...analyticNet(activation, depth, parameterization));
            const { nngp, ntk } = kernelFn(X);
            await expectClose(estimate.nngp, nngp, { rtol: 0.05, atol: 0.01 });
            await expectClose(estimate.ntk[parameterization], ntk, { rtol: 0.05, atol: 0.01 });
            tf.dispose([nngp, ntk]);
          }
        });
      }
    }
  },
  { backends: ['cpu'] },
);
