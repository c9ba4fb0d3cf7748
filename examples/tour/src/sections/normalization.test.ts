import * as tf from '@tensorflow/tfjs-core';
import { disposeParams, useBackend } from '@descent/core';
import { mnist } from '@descent/data';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SectionResult } from '../section';
import { runQuick } from '../test-support/run-quick';
import { lossCurve } from './convergence/loss-curve';
import { normalizationSection } from './normalization';
import type { RateRun } from './normalization/experiment';
import { normalizedMlp } from './normalization/norm-variants';
import { normalizationVerdict, outcomeOf } from './normalization/verdict';

type VariantNumbers = {
  largestStableLearningRate: number | null;
  runs: { learningRate: number; finalLoss: number | null; stable: boolean; initialLoss: number }[];
};

beforeAll(async () => {
  await useBackend('wasm');
});

describe('normalizationSection (quick, wasm)', () => {
  let result: SectionResult;
  let leaked: number;

  beforeAll(async () => {
    ({ result, leaked } = await runQuick(normalizationSection));
  }, 300_000);

  const variant = (name: string) =>
    (result.numbers.variants as Record<string, unknown>)[name] as VariantNumbers;

  it('leaks no tensor and draws two figures', () => {
    expect(leaked).toBe(0);
    expect(result.id).toBe('normalization');
    expect(result.figures).toHaveLength(2);
    for (const f of result.figures) expect(f.svg.trimStart().startsWith('<svg')).toBe(true);
  });

  it('BatchNorm trains at a learning rate at least 4× the plain net’s largest', () => {
    const none = variant('none').largestStableLearningRate!;
    const batch = variant('batch').largestStableLearningRate!;
    expect(none).toBeGreaterThan(0);
    expect(batch).toBeGreaterThanOrEqual(4 * none);
    expect(result.reproduced).toBe(true);
    // the plain net diverges at the top of the grid
    expect(variant('none').runs.at(-1)!.finalLoss).toBeNull();
  });

  it('marks a run stable exactly when its final loss is finite and below both bounds', () => {
    for (const name of ['none', 'batch', 'group']) {
      for (const r of variant(name).runs) {
        const expected =
          r.finalLoss !== null && r.finalLoss < r.initialLoss && r.finalLoss < 0.9 * Math.log(10);
        expect(r.stable).toBe(expected);
      }
    }
  });
});

describe('the loss curve', () => {
  it('is the same for the same seed, and a group-norm net learns', async () => {
    const data = await mnist({ split: 'train', limit: 256, seed: 2 });
    const shape = { inputDim: 784, width: 16, depth: 3, classes: 10, groups: 4 };
    const curve = async (seed: number) => {
      const model = normalizedMlp('group', shape, seed);
      try {
        const setup = { steps: 12, batchSize: 32, learningRate: 0.1, momentum: 0, seed };
        return await lossCurve(model, data, { ...setup, prefix: `test-${seed}/` });
      } finally {
        disposeParams(model.params);
      }
    };
    const before = tf.memory().numTensors;
    const [a, b, c] = [await curve(5), await curve(5), await curve(6)];
    expect(tf.memory().numTensors).toBe(before);
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a).toHaveLength(12);
    expect(a.at(-1)!).toBeLessThan(a[0]!);
  });
});

describe('normalizationVerdict', () => {
  const run = (variant: RateRun['variant'], learningRate: number, final: number): RateRun => ({
    variant,
    learningRate,
    losses: [2.4, ...Array(10).fill(final)],
  });
  const grid = (variant: RateRun['variant'], finals: number[]) =>
    [0.1, 1, 10].map((lr, i) => run(variant, lr, finals[i]!));

  it('compares the largest stable learning rates', () => {
    const verdict = normalizationVerdict([
      ...grid('none', [1, Number.NaN, Number.NaN]),
      ...grid('batch', [0.5, 0.4, 2.3]),
      ...grid('group', [0.8, 2.2, 2.3]),
    ]);
    expect(verdict.largestStable).toEqual({ none: 0.1, batch: 1, group: 0.1 });
    expect(verdict.ratio).toBeCloseTo(10, 10);
    expect(verdict.reproduced).toBe(true);
  });

  it('fails below 4× and treats a dead net (loss near ln 10) as unstable', () => {
    expect(outcomeOf(run('none', 3, 2.3)).stable).toBe(false);
    const verdict = normalizationVerdict([
      ...grid('none', [1, 1, Number.NaN]),
      ...grid('batch', [0.5, 0.4, 2.3]),
      ...grid('group', [0.8, 2.2, 2.3]),
    ]);
    expect(verdict.ratio).toBe(1);
    expect(verdict.reproduced).toBe(false);
  });
});
