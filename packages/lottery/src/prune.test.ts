import * as tf from '@tensorflow/tfjs-core';
import { type ParamInfo, Rng, disposeParams, inferParamInfo } from '@descent/core';
import { expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { lenet300100 } from '@descent/nets';
import { expect, it } from 'vitest';
import { applyMasks } from './apply-masks';
import { densityReport } from './density-report';
import { magnitudeScores } from './magnitude-scores';
import type { Masks } from './masks';
import { prune } from './prune';
import { randomScores } from './random-scores';

/** Reference rule: remove, one at a time, the kept entry of lowest (score, group, index). */
function refPrune(
  scores: number[][],
  masks: number[][],
  groupsOf: number[][],
  amount: (kept: number, total: number) => number,
): number[][] {
  const out = masks.map((m) => [...m]);
  for (const groups of groupsOf) {
    let kept = 0;
    let total = 0;
    for (const g of groups) {
      total += (out[g] as number[]).length;
      kept += (out[g] as number[]).filter((v) => v === 1).length;
    }
    for (let r = amount(kept, total); r > 0; r--) {
      let bestG = -1;
      let bestI = -1;
      for (const g of groups) {
        const m = out[g] as number[];
        for (let i = 0; i < m.length; i++) {
          if (m[i] !== 1) continue;
          const s = (scores[g] as number[])[i] as number;
          if (bestG < 0 || s < ((scores[bestG] as number[])[bestI] as number)) {
            bestG = g;
            bestI = i;
          }
        }
      }
      if (bestG < 0) break;
      (out[bestG] as number[])[bestI] = 0;
    }
  }
  return out;
}

const SHAPES: Record<string, number[]> = {
  'd1/kernel': [6, 5],
  'd1/bias': [5],
  'd2/kernel': [5, 4],
  'd2/bias': [4],
  'd3/kernel': [4, 3],
};
const NAMES = Object.keys(SHAPES);
const WEIGHTS = NAMES.filter((n) => n.endsWith('kernel'));
const INFO: Record<string, ParamInfo> = Object.fromEntries(
  NAMES.map((n) => [n, inferParamInfo(n, SHAPES[n] as number[])]),
);

/** Scores with many ties (integers 0–4), and a random previous mask. */
function tiedCase(seed: number): { scores: number[][]; masks: number[][] } {
  const rng = new Rng(seed);
  const sizes = WEIGHTS.map((n) => (SHAPES[n] as number[]).reduce((a, b) => a * b, 1));
  return {
    scores: sizes.map((s) => Array.from({ length: s }, () => rng.int(0, 5))),
    masks: sizes.map((s) => Array.from({ length: s }, () => (rng.float() < 0.3 ? 0 : 1))),
  };
}

function tensors(values: number[][], dtype: 'float32' = 'float32'): Record<string, tf.Tensor> {
  const out: Record<string, tf.Tensor> = {};
  WEIGHTS.forEach((n, i) => {
    out[n] = tf.tensor(values[i] as number[], SHAPES[n], dtype);
  });
  return out;
}

async function read(masks: Masks): Promise<number[][]> {
  return Promise.all(WEIGHTS.map(async (n) => Array.from(await (masks[n] as tf.Tensor).data())));
}

forEachBackend('prune', () => {
  it('layerwise rate, per-parameter rates and global rate match the reference rule with ties', async () => {
    for (const seed of [1, 2, 3]) {
      const { scores, masks } = tiedCase(seed);
      const all = { ...tensors(scores), 'd1/bias': tf.zeros([5]), 'd2/bias': tf.zeros([4]) };
      const prev = tensors(masks);
      const cases = [
        { opts: { rate: 0.37 }, groups: [[0], [1], [2]], rates: [0.37, 0.37, 0.37] },
        {
          opts: { rate: 0.2, rates: { 'd3/kernel': 0.5 } },
          groups: [[0], [1], [2]],
          rates: [0.2, 0.2, 0.5],
        },
        { opts: { rate: 0.45, scope: 'global' as const }, groups: [[0, 1, 2]], rates: [0.45] },
      ];
      for (const c of cases) {
        const got = await expectNoLeaks(async () => {
          const m = await prune(all, { info: INFO, masks: prev, ...c.opts });
          expect(Object.keys(m).sort()).toEqual([...WEIGHTS].sort());
          const values = await read(m);
          disposeParams(m);
          return values;
        });
        const expected = c.groups.flatMap((g, k) =>
          refPrune(scores, masks, [g], (kept) => Math.round((c.rates[k] as number) * kept)).filter(
            (_, i) => g.includes(i),
          ),
        );
        expect(got).toEqual(expected);
      }
      disposeParams(all);
      disposeParams(prev);
    }
  });

  it("remove: 'highest' removes the highest scores first (GraSP), ties still to the lower index", async () => {
    for (const seed of [5, 6]) {
      const { scores, masks } = tiedCase(seed);
      const negated = scores.map((row) => row.map((v) => -v));
      const all = { ...tensors(scores), 'd1/bias': tf.zeros([5]), 'd2/bias': tf.zeros([4]) };
      const prev = tensors(masks);
      const cases: [{ rate: number } | { density: number; scope: 'global' }, number[][]][] = [
        [{ rate: 0.4 }, [[0], [1], [2]]],
        [{ density: 0.3, scope: 'global' }, [[0, 1, 2]]],
      ];
      for (const [opts, groups] of cases) {
        const before = tf.memory().numTensors;
        const m = await prune(all, { info: INFO, masks: prev, remove: 'highest', ...opts });
        const amount = (kept: number, total: number) =>
          'rate' in opts ? Math.round(opts.rate * kept) : kept - Math.round(opts.density * total);
        const expected = groups.flatMap((g) =>
          refPrune(negated, masks, [g], amount).filter((_, i) => g.includes(i)),
        );
        expect(await read(m)).toEqual(expected);
        disposeParams(m);
        expect(tf.memory().numTensors).toBe(before);
      }
      disposeParams(all);
      disposeParams(prev);
    }
    // int32 scores at the ends of their range: the most negative one is removed last.
    const ints = { 'd3/kernel': tf.tensor([-(2 ** 31), 2 ** 31 - 1, 0, 7], [2, 2], 'int32') };
    const info = { 'd3/kernel': INFO['d3/kernel'] as ParamInfo };
    const m = await prune(ints, { info, rate: 0.75, remove: 'highest' });
    expect(Array.from(await (m['d3/kernel'] as tf.Tensor).data())).toEqual([1, 0, 0, 0]);
    disposeParams(m);
    disposeParams(ints);
  });

  it('density keeps round(density × total) per parameter or globally; exclude and biases are never masked', async () => {
    const { scores } = tiedCase(9);
    const all = { ...tensors(scores), 'd1/bias': tf.zeros([5]) };
    const info = { ...INFO };
    delete info['d2/bias'];
    const m = await prune(all, { info, density: 0.3, exclude: ['d2/kernel'] });
    expect(Object.keys(m)).toEqual(['d1/kernel', 'd3/kernel']);
    const report = await densityReport(m);
    expect(report.perParameter['d1/kernel']).toEqual({ kept: 9, total: 30, density: 0.3 });
    expect(report.perParameter['d3/kernel']?.kept).toBe(Math.round(0.3 * 12));
    disposeParams(m);
    const g = await prune(all, { info, density: 0.25, scope: 'global' });
    const r = await densityReport(g);
    expect(r.overall.kept).toBe(Math.round(0.25 * (30 + 20 + 12)));
    disposeParams(g);
    disposeParams(all);
  });

  it('global: every kept score ≥ every pruned score, and masks never revive across rounds', async () => {
    const net = { params: randomScores(SHAPES_PARAMS(), { rng: new Rng(4) }) };
    let masks: Masks | undefined;
    for (let round = 0; round < 4; round++) {
      const scores = randomScores(net.params, { rng: new Rng(100 + round) });
      const next = await prune(scores, { info: INFO, masks, rate: 0.3, scope: 'global' });
      const s = (
        await Promise.all(
          WEIGHTS.map(async (n) => Array.from(await (scores[n] as tf.Tensor).data())),
        )
      ).flat();
      const now = (await read(next)).flat();
      const before = masks === undefined ? now.map(() => 1) : (await read(masks)).flat();
      const newlyPruned = s.filter((_, i) => before[i] === 1 && now[i] === 0);
      const kept = s.filter((_, i) => now[i] === 1);
      expect(Math.min(...kept)).toBeGreaterThanOrEqual(Math.max(...newlyPruned));
      for (let i = 0; i < now.length; i++) if (before[i] === 0) expect(now[i]).toBe(0);
      if (masks !== undefined) disposeParams(masks);
      masks = next;
      disposeParams(scores);
    }
    if (masks !== undefined) disposeParams(masks);
    disposeParams(net.params);
  });

  it('random scores from the same seed give the same scores and masks as a JS computation', async () => {
    const params = SHAPES_PARAMS();
    await expectNoLeaks(async () => {
      const scores = randomScores(params, { rng: new Rng(21) });
      const rng = new Rng(21);
      const expectedScores = NAMES.map((n) =>
        Array.from(rng.uniformArray((SHAPES[n] as number[]).reduce((a, b) => a * b, 1))),
      );
      for (const [i, n] of NAMES.entries()) {
        expect(Array.from(await (scores[n] as tf.Tensor).data())).toEqual(expectedScores[i]);
      }
      const m = await prune(scores, { info: INFO, rate: 0.5 });
      const ws = WEIGHTS.map((n) => expectedScores[NAMES.indexOf(n)] as number[]);
      const expected = refPrune(
        ws,
        ws.map((s) => s.map(() => 1)),
        [[0], [1], [2]],
        (k) => Math.round(0.5 * k),
      );
      expect(await read(m)).toEqual(expected);
      disposeParams(m);
      disposeParams(scores);
    });
    disposeParams(params);
  });

  it('applyMasks gives θ ⊙ m for masked names and clones the others', async () => {
    const params = SHAPES_PARAMS();
    const masks = tensors(tiedCase(5).masks);
    await expectNoLeaks(async () => {
      const out = applyMasks(params, masks);
      for (const n of NAMES) {
        const p = Array.from(await (params[n] as tf.Tensor).data());
        const mk = masks[n] ? Array.from(await masks[n].data()) : p.map(() => 1);
        expect(Array.from(await (out[n] as tf.Tensor).data())).toEqual(
          p.map((v, i) => v * (mk[i] as number)),
        );
        expect(out[n]).not.toBe(params[n]);
      }
      disposeParams(out);
    });
    disposeParams(params);
    disposeParams(masks);
  });
});

function SHAPES_PARAMS(): Record<string, tf.Tensor> {
  const rng = new Rng(3);
  return Object.fromEntries(NAMES.map((n) => [n, rng.uniform(SHAPES[n] as number[], -1, 1)]));
}

forEachBackend(
  'prune on LeNet-300-100',
  () => {
    it('layerwise rounds (20 % hidden, 10 % output) give 100, 80.0, 64.1, 51.3, 41.1, 32.9, 26.3, 21.1 %', async () => {
      const net = lenet300100({ seed: 0 });
      const densities: string[] = [];
      let masks: Masks | undefined;
      await expectNoLeaks(async () => {
        for (let round = 0; round < 8; round++) {
          if (masks === undefined) {
            densities.push('100');
          } else {
            const report = await densityReport(masks);
            densities.push((100 * report.overall.density).toFixed(1));
          }
          if (round === 7) break;
          const current = masks === undefined ? net.params : applyMasks(net.params, masks);
          const scores = magnitudeScores(current);
          const next = await prune(scores, {
            info: net.info,
            masks,
            rate: 0.2,
            rates: { 'dense3/kernel': 0.1 },
          });
          disposeParams(scores);
          if (current !== net.params) disposeParams(current);
          if (masks !== undefined) disposeParams(masks);
          masks = next;
        }
        if (masks !== undefined) disposeParams(masks);
      });
      expect(densities).toEqual(['100', '80.0', '64.1', '51.3', '41.1', '32.9', '26.3', '21.1']);
      disposeParams(net.params);
    });
  },
  { backends: ['cpu', 'wasm'] },
);
