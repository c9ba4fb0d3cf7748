import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Rng } from '@descent/core';
import { forEachBackend } from '@descent/core/testing';
import { orthogonal } from './orthogonal';
import { signalPropagation } from './signal-propagation';
import { mlp } from './test-support/models';

/**
 * Pennington, Schoenholz & Ganguli (2017), eq. (15)–(17) and Table 1: for the input–output
 * Jacobian J = D_L W_L ⋯ D_1 W_1 of a deep net at criticality (mean squared singular value
 * m₁ = 1), the variance of the spectrum of JJᵀ is σ²_{JJᵀ} = L·(μ₂/μ₁² − 1 − s₁) with
 * s₁ = −1 for Gaussian and 0 for orthogonal weights. ReLU (D has ½ of its diagonal 1, weights
 * σ_w² = 2): μ₂/μ₁² = 2, so orthogonal ReLU nets have σ²_{JJᵀ} = L, growing with depth; linear
 * (D = I) orthogonal nets have σ²_{JJᵀ} = 0 (every singular value is exactly 1).
 *
 * For a finite net the overall scale m₁ fluctuates (like E[z²], see the 50-layer test), and
 * σ²_{JJᵀ} scales with m₁²; the test compares the scale-free σ²_{JJᵀ}/m₁² with L. Width 128,
 * 8 examples: measured 4.15, 8.92, 16.3 at L = 4, 8, 16 (seed 0); the band is ±35 %.
 */
forEachBackend(
  'dynamical isometry (Pennington et al. 2017): spectrum of JJᵀ vs depth',
  () => {
    const width = 128;
    const net = (depth: number, activation: 'relu' | 'linear', seed: number) => {
      const rng = new Rng(seed);
      const g = activation === 'relu' ? Math.SQRT2 : 1;
      return mlp(
        Array(depth + 1).fill(width),
        activation,
        (name, shape) => orthogonal(shape, { gain: g, rng: rng.child(name) }),
        { finalActivation: true },
      );
    };

    it('ReLU + orthogonal (gain √2): σ²_{JJᵀ}/m₁² ≈ L for L = 4, 8, 16, and m₁ ≈ 1', async () => {
      const measured: number[] = [];
      for (const depth of [4, 8, 16]) {
        const model = net(depth, 'relu', 0);
        const x = new Rng(100 + depth).normal([8, width]);
        const report = await signalPropagation(model, x, {
          jacobianSamples: 8,
          layerJacobians: false,
        });
        const s = report.inputOutput!;
        expect(s.count).toBe(8 * width);
        expect(s.squaredMean).toBeGreaterThan(0.7);
        expect(s.squaredMean).toBeLessThan(1.4);
        const normalized = s.squaredVariance / s.squaredMean ** 2;
        expect(normalized / depth).toBeGreaterThan(0.65);
        expect(normalized / depth).toBeLessThan(1.35);
        measured.push(normalized);
        tf.dispose([x, ...Object.values(model.params)]);
      }
      expect(measured[1]!).toBeGreaterThan(measured[0]!);
      expect(measured[2]!).toBeGreaterThan(measured[1]!);
    });

    it('linear + orthogonal: every singular value is 1, σ²_{JJᵀ} < 1e-6, at L = 16', async () => {
      const model = net(16, 'linear', 1);
      const x = new Rng(7).normal([2, width]);
      const report = await signalPropagation(model, x, { jacobianSamples: 2 });
      const s = report.inputOutput!;
      expect(s.squaredVariance).toBeLessThan(1e-6);
      expect(s.variance).toBeLessThan(1e-6);
      expect(Math.abs(s.min - 1)).toBeLessThan(1e-5);
      expect(Math.abs(s.max - 1)).toBeLessThan(1e-5);
      // Every intermediate Jacobian (input → layer l) is an isometry too.
      for (const layer of report.layers)
        expect(Math.abs(layer.jacobian!.mean - 1)).toBeLessThan(1e-5);
      expect(report.verdict).toBe('stable');
      tf.dispose([x, ...Object.values(model.params)]);
    });
  },
  { backends: ['cpu'] },
);

forEachBackend('dynamical isometry on every backend (small)', () => {
  it('linear + orthogonal, 4 layers of width 16: singular values 1 to 1e-5', async () => {
    const rng = new Rng(2);
    const model = mlp([16, 16, 16, 16, 16], 'linear', (name, shape) =>
      orthogonal(shape, { rng: rng.child(name) }),
    );
    const x = rng.normal([2, 16]);
    const report = await signalPropagation(model, x, { jacobianSamples: 2 });
    expect(Math.abs(report.inputOutput!.min - 1)).toBeLessThan(1e-5);
    expect(Math.abs(report.inputOutput!.max - 1)).toBeLessThan(1e-5);
    tf.dispose([x, ...Object.values(model.params)]);
  });
});
