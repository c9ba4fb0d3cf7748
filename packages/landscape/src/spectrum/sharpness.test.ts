import * as tf from '@tensorflow/tfjs-core';
import { type Params, Rng, softmaxCrossEntropy } from '@descent/core';
import { expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { mlp } from '@descent/nets';
import { expect, it } from 'vitest';
import { sharpness } from './sharpness';

const H = [2, 0.5, 3, 1, 4];

/** `L = c + ½ Σ hᵢ θᵢ² (+ gᵀθ)` over one `[n]` tensor `x`. */
function separable(h: readonly number[], c = 0, g?: readonly number[]) {
  const ht = tf.tensor1d(h as number[]);
  const gt = g ? tf.tensor1d(g as number[]) : undefined;
  const loss = (p: Params) => {
    const x = p.x as tf.Tensor;
    const quadratic = tf.add(c, tf.mul(0.5, tf.sum(tf.mul(ht, tf.square(x)))));
    return gt ? tf.add(quadratic, tf.sum(tf.mul(gt, x))) : quadratic;
  };
  return { loss, dispose: () => tf.dispose(gt ? [ht, gt] : [ht]) };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

forEachBackend('sharpness', () => {
  it('reaches the corner maximum ½ε²Σh of a convex quadratic at its minimum (absolute box)', async () => {
    const { loss, dispose } = separable(H);
    const x = tf.zeros([5]);
    const epsilon = 1e-2;
    const result = await expectNoLeaks(() => sharpness(loss, { x }, { epsilon, box: 'absolute' }));
    const maxLoss = 0.5 * epsilon ** 2 * sum(H);
    expect(result.loss).toBe(0);
    expect(result.maxLoss).toBeCloseTo(maxLoss, 9);
    expect(Math.abs(result.maxLoss - maxLoss) / maxLoss).toBeLessThan(1e-3);
    expect(result.sharpness).toBeCloseTo(maxLoss * 100, 7);
    expect(result.steps).toBe(20);
    x.dispose();
    dispose();
  });

  it("reaches ½Σh(|θ| + b)² away from the minimum, for Keskar's relative box and the absolute one", async () => {
    const { loss, dispose } = separable(H, 0.5);
    const theta = [1.5, -2, 0.8, -0.6, 1.1];
    const x = tf.tensor1d(theta);
    const epsilon = 1e-2;
    const base = 0.5 + 0.5 * sum(H.map((h, i) => h * theta[i]! ** 2));
    for (const box of ['relative', 'absolute'] as const) {
      const half = theta.map((t) => (box === 'relative' ? epsilon * (Math.abs(t) + 1) : epsilon));
      const maxLoss = 0.5 + 0.5 * sum(H.map((h, i) => h * (Math.abs(theta[i]!) + half[i]!) ** 2));
      const result = await sharpness(loss, { x }, { epsilon, box, steps: 5 });
      expect(result.loss).toBeCloseTo(base, 5);
      expect(Math.abs(result.maxLoss - maxLoss) / (maxLoss - base)).toBeLessThan(1e-3);
      const phi = ((maxLoss - base) / (1 + base)) * 100;
      expect(Math.abs(result.sharpness - phi) / phi).toBeLessThan(1e-3);
    }
    x.dispose();
    dispose();
  });

  it('reaches L + ε‖g‖₁ for a linear loss in one step', async () => {
    const g = [0.3, -1.2, 0, 2, -0.7];
    const { loss, dispose } = separable([0, 0, 0, 0, 0], 5, g);
    const x = tf.tensor1d([0.1, 0.2, -0.3, 0.4, 0.5]);
    const base = 5 + sum(g.map((gi, i) => gi * [0.1, 0.2, -0.3, 0.4, 0.5][i]!));
    const result = await sharpness(loss, { x }, { epsilon: 1e-2, box: 'absolute', steps: 1 });
    const expected = 1e-2 * sum(g.map(Math.abs));
    expect(Math.abs(result.maxLoss - base - expected) / expected).toBeLessThan(1e-3);
    x.dispose();
    dispose();
  });

  it('settles near the saddle maximum 1 + ½ε²h₊ for an indefinite quadratic', async () => {
    const { loss, dispose } = separable([2, -3], 1);
    const x = tf.zeros([2]);
    const epsilon = 0.1;
    const result = await sharpness(loss, { x }, { epsilon, box: 'absolute' });
    const rise = 0.5 * epsilon ** 2 * 2;
    expect(result.maxLoss - 1).toBeLessThanOrEqual(rise * (1 + 1e-5));
    expect(result.maxLoss - 1).toBeGreaterThan(rise * 0.99);
    x.dispose();
    dispose();
  });

  it('is ≥ 0 on a tanh MLP, growing with ε, and identical for the same seed', async () => {
    const net = mlp({ sizes: [4, 6, 3], activation: 'tanh', seed: 2 });
    const rng = new Rng(1);
    const x = rng.normal([6, 4]);
    const y = tf.tensor1d([0, 1, 2, 2, 1, 0], 'int32');
    const loss = (p: Params) => softmaxCrossEntropy(net.apply(p, x), y);
    const small = await expectNoLeaks(() => sharpness(loss, net.params, { steps: 5 }));
    const large = await sharpness(loss, net.params, { epsilon: 1e-2, steps: 5 });
    expect(small.sharpness).toBeGreaterThan(0);
    expect(large.sharpness).toBeGreaterThan(small.sharpness);
    expect(small.maxLoss).toBeGreaterThanOrEqual(small.loss);
    expect(small.sharpness).toBeCloseTo(((small.maxLoss - small.loss) / (1 + small.loss)) * 100, 6);
    const again = await sharpness(loss, net.params, { steps: 5, rng: new Rng(0) });
    expect(again).toEqual(small);
    tf.dispose([x, y, ...Object.values(net.params)]);
  });
});
