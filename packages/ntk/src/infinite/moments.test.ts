import * as tf from '@tensorflow/tfjs-core';
import { expectClose, forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { abRelu } from './ab-relu';
import { dense } from './dense';
import { erf } from './erf';
import type { Layer } from './layer';
import { relu } from './relu';
import { serial } from './serial';
import { erf64, erfDerivative, gaussHermite } from './test-support/float64-math';

const X = [
  [0.3, -1.2, 0.8],
  [1.1, 0.4, -0.2],
  [-0.7, -0.5, 1.5],
  [0.2, 0.9, 0.6],
];

async function kernels(layers: Layer[], x: number[][], precision: 'float64' | 'float32') {
  const { nngp, ntk } = serial(...layers).kernelFn(x, null, { precision });
  const out = { nngp: Array.from(await nngp.data()), ntk: Array.from(await ntk.data()) };
  tf.dispose([nngp, ntk]);
  return out;
}

function dot(a: number[], b: number[]): number {
  return a.reduce((s, v, i) => s + v * (b[i] as number), 0);
}

forEachBackend('abRelu', () => {
  for (const precision of ['float64', 'float32'] as const) {
    it(`abRelu(0, 1) is relu at depth 3 with bias (${precision})`, async () => {
      const net = (act: () => Layer) => [
        dense({ weightStd: 1.5, biasStd: 0.4 }),
        act(),
        dense({ weightStd: 1.2, biasStd: 0.1 }),
        act(),
        dense({ weightStd: 0.8, biasStd: 0.3 }),
        act(),
        dense({ weightStd: 1.1, biasStd: 0.2 }),
      ];
      const a = await kernels(
        net(() => abRelu(0, 1)),
        X,
        precision,
      );
      const r = await kernels(net(relu), X, precision);
      const tol =
        precision === 'float64' ? { rtol: 1e-12, atol: 1e-12 } : { rtol: 2e-6, atol: 1e-7 };
      await expectClose(a.nngp, r.nngp, tol);
      await expectClose(a.ntk, r.ntk, tol);
    });
  }

  it('abRelu(a, a) gives the kernels of a linear net', async () => {
    const a = -1.7;
    const layers = [
      dense({ weightStd: 1.3, biasStd: 0.5 }),
      abRelu(a, a),
      dense({ weightStd: 0.7, biasStd: 0.2 }),
    ];
    const k = await kernels(layers, X, 'float64');
    // K₁ = σ₁² x·x′/d + b₁², K₂ = σ₂² a² K₁ + b₂², Θ₂ = K₂ + σ₂² a² Θ₁ with Θ₁ = K₁.
    for (let i = 0; i < 4; i++) {
      for (let j = 0; j < 4; j++) {
        const k1 = (1.3 ** 2 * dot(X[i] as number[], X[j] as number[])) / 3 + 0.25;
        const k2 = 0.49 * a * a * k1 + 0.04;
        expect(k.nngp[i * 4 + j]).toBeCloseTo(k2, 6);
        expect(k.ntk[i * 4 + j]).toBeCloseTo(k2 + 0.49 * a * a * k1, 6);
      }
    }
  });

  it('abRelu(0.5, 1) has (a² + b²)k/2 on the diagonal', async () => {
    const net = (act: Layer) => [dense(), act, dense()];
    const leaky = await kernels(net(abRelu(0.5, 1)), X, 'float64');
    // E[φ(u)²] = (a² + b²)k/2 = 1.25/2 · |x|²/3 (the output is float32).
    expect(leaky.nngp[0]).toBeCloseTo(
      (1.25 / 2) * (dot(X[0] as number[], X[0] as number[]) / 3),
      7,
    );
  });
});

forEachBackend('erf', () => {
  it('the float64 reference erf is accurate', () => {
    expect(erf64(0.5)).toBeCloseTo(0.5204998778130465, 14);
    expect(erf64(-1)).toBeCloseTo(-0.8427007929497149, 14);
    expect(erf64(3.5)).toBeCloseTo(0.9999992569016276, 14);
    const { weights } = gaussHermite(120);
    expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(Math.sqrt(Math.PI), 12);
  });

  /** E[g(u, v)] for (u, v) ~ N(0, Σ) by a 120 × 120 Gauss–Hermite rule on u = √2 L t. */
  function gaussianExpectation(
    s11: number,
    s12: number,
    s22: number,
    g: (u: number, v: number) => number,
  ): number {
    const { nodes, weights } = gaussHermite(120);
    const l11 = Math.sqrt(s11);
    const l21 = s12 / l11;
    const l22 = Math.sqrt(Math.max(s22 - l21 * l21, 0));
    let sum = 0;
    for (let i = 0; i < 120; i++) {
      for (let j = 0; j < 120; j++) {
        const t1 = Math.SQRT2 * (nodes[i] as number);
        const t2 = Math.SQRT2 * (nodes[j] as number);
        sum += (weights[i] as number) * (weights[j] as number) * g(l11 * t1, l21 * t1 + l22 * t2);
      }
    }
    return sum / Math.PI;
  }

  for (const [s11, s12, s22] of [
    [1, 0.3, 0.5],
    [2, -1.2, 0.9],
  ] as const) {
    it(`matches Gauss–Hermite integration for Σ = [[${s11}, ${s12}], [${s12}, ${s22}]]`, async () => {
      // x·x′/2 = Σ for the rows of √2·L (d = 2, σ_w = 1, σ_b = 0): then K₁ = Σ = Θ₁.
      const l11 = Math.sqrt(s11);
      const l21 = s12 / l11;
      const l22 = Math.sqrt(s22 - l21 * l21);
      const x = [
        [Math.SQRT2 * l11, 0],
        [Math.SQRT2 * l21, Math.SQRT2 * l22],
      ];
      const sigma = [s11, s12, s12, s22];
      const cov = [
        [s11, s11, s11],
        [s11, s12, s22],
        [s11, s12, s22],
        [s22, s22, s22],
      ];
      const expectedNngp = cov.map(([a, b, c]) =>
        gaussianExpectation(a as number, b as number, c as number, (u, v) => erf64(u) * erf64(v)),
      );
      const expectedDot = cov.map(([a, b, c]) =>
        gaussianExpectation(
          a as number,
          b as number,
          c as number,
          (u, v) => erfDerivative(u) * erfDerivative(v),
        ),
      );
      const expectedNtk = expectedNngp.map(
        (q, i) => q + (expectedDot[i] as number) * (sigma[i] as number),
      );
      for (const precision of ['float64', 'float32'] as const) {
        const k = await kernels([dense(), erf(), dense()], x, precision);
        const tol =
          precision === 'float64' ? { rtol: 1e-7, atol: 1e-8 } : { rtol: 1e-5, atol: 1e-6 };
        await expectClose(k.nngp, expectedNngp, tol);
        await expectClose(k.ntk, expectedNtk, tol);
      }
    });
  }
});
