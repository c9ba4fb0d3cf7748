import * as tf from '@tensorflow/tfjs-core';
import { disposeParams, useBackend } from '@descent/core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SectionResult } from '../section';
import { type QuickRun, runQuick } from '../test-support/run-quick';
import { convergenceSection } from './convergence';
import type { SchemeRun } from './convergence/experiment';
import { zeroLayers } from './convergence/figures';
import { initializedNet } from './convergence/init-schemes';
import { signalProfile } from './convergence/signal-profile';
import { convergenceVerdict, twoToTheMinus } from './convergence/verdict';

type SchemeNumbers = {
  lastLayerSignal: number;
  initialLoss: number;
  finalLoss: number;
  losses: number[];
  forwardSignal: number[];
};

beforeAll(async () => {
  await useBackend('wasm');
});

describe('convergenceSection (quick, wasm)', () => {
  let result: SectionResult;
  let leaked: number;
  let phases: string[];

  beforeAll(async () => {
    let progress: QuickRun['progress'];
    ({ result, leaked, progress } = await runQuick(convergenceSection));
    phases = progress.map(([, , phase]) => phase);
  }, 300_000);

  const scheme = (name: string) =>
    (result.numbers.schemes as Record<string, unknown>)[name] as SchemeNumbers;

  it('leaks no tensor and reports progress', () => {
    expect(leaked).toBe(0);
    expect(phases).toContain('he: training');
    expect(phases.at(-1)).toBe('done');
  });

  it('describes the claim with three figures', () => {
    expect(result.id).toBe('convergence');
    expect(result.title).toBe(convergenceSection.title);
    expect(result.figures).toHaveLength(3);
    for (const f of result.figures) {
      expect(f.svg.trimStart().startsWith('<svg')).toBe(true);
      expect(f.caption.length).toBeGreaterThan(20);
    }
    expect(result.evidence).toContain('Criterion');
    expect(result.evidence).not.toContain('Not met');
    expect(result.reproduced).toBe(true);
  });

  it('the naive init loses the signal and does not train', () => {
    const naive = scheme('naive');
    expect(naive.lastLayerSignal).toBeLessThan(1e-6);
    expect(naive.finalLoss).toBeGreaterThan(0.9 * naive.initialLoss);
    // a zero output predicts the uniform distribution: the loss stays at ln 10
    expect(naive.finalLoss).toBeCloseTo(Math.log(10), 1);
  });

  it('LeCun halves the signal per ReLU layer, He / orthogonal / LSUV keep it', () => {
    const depth = (result.numbers.settings as { depth: number }).depth;
    expect(scheme('lecun').lastLayerSignal / 2 ** -(depth - 1)).toBeGreaterThan(0.1);
    expect(scheme('lecun').lastLayerSignal / 2 ** -(depth - 1)).toBeLessThan(10);
    for (const name of ['he', 'orthogonal', 'lsuv']) {
      const s = scheme(name);
      expect(s.forwardSignal[0]).toBe(1);
      expect(s.lastLayerSignal).toBeGreaterThan(0.1);
      expect(s.lastLayerSignal).toBeLessThan(10);
      expect(s.losses.every(Number.isFinite)).toBe(true);
      expect(s.finalLoss).toBeLessThan(0.5 * s.initialLoss);
    }
  });
});

describe('the signal profile', () => {
  it('is the same for the same seed and differs for another', async () => {
    const batch = tf.randomUniform([32, 784], 0, 1, 'float32', 7);
    const shape = { inputDim: 784, width: 32, depth: 8, classes: 10 };
    const profile = async (seed: number) => {
      const net = await initializedNet('orthogonal', shape, seed, batch);
      try {
        return await signalProfile(net, batch);
      } finally {
        disposeParams(net.params);
      }
    };
    const before = tf.memory().numTensors;
    const [a, b, c] = [await profile(3), await profile(3), await profile(4)];
    expect(tf.memory().numTensors).toBe(before);
    batch.dispose();
    expect(a).toEqual(b);
    expect(a.forward).not.toEqual(c.forward);
    expect(a.forward).toHaveLength(8);
  });
});

describe('zeroLayers', () => {
  it('names the layers whose value underflowed to 0', () => {
    expect(zeroLayers([1, 0.5])).toBeNull();
    expect(zeroLayers([0, 1e-20, 1])).toBe('layer 1');
    expect(zeroLayers([1, 1e-30, 0, 0])).toBe('layers 3–4');
    expect(zeroLayers([0, 1, 0, 0, 1])).toBe('layers 1, 3–4');
  });
});

describe('convergenceVerdict', () => {
  const run = (scheme: SchemeRun['scheme'], last: number, losses: number[]): SchemeRun => ({
    scheme,
    signal: { forward: [1, last], backward: [1, 1] },
    losses,
  });
  const trained = [2.3, ...Array(10).fill(1)];
  const stalled = Array(11).fill(2.3);
  const runs = (naiveSignal: number, heLosses = trained) => [
    run('naive', naiveSignal, stalled),
    run('lecun', 2 ** -29, stalled),
    run('he', 1.2, heLosses),
    run('orthogonal', 0.8, trained),
    run('lsuv', 1, trained),
  ];

  it('holds when the preserving schemes train and the naive one vanishes', () => {
    const verdict = convergenceVerdict(runs(0), 30);
    expect(verdict.reproduced).toBe(true);
    expect(verdict.lecunPredicted).toBe(2 ** -29);
    expect(verdict.evidence).toContain('(2⁻²⁹ = 1.9e-9 predicted)');
    expect(twoToTheMinus(10)).toBe('2⁻¹⁰');
    expect(verdict.summaries.find((s) => s.scheme === 'he')!.finalLoss).toBe(1);
  });

  it('fails when the naive signal survives or a preserving scheme stalls', () => {
    expect(convergenceVerdict(runs(1e-3), 30).reproduced).toBe(false);
    const stalledHe = convergenceVerdict(runs(0, stalled), 30);
    expect(stalledHe.reproduced).toBe(false);
    expect(stalledHe.evidence).toContain(
      "Not met: He normal's loss 2.30 → 2.30 fell by less than half.",
    );
  });
});
