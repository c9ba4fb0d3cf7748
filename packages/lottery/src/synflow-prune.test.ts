import * as tf from '@tensorflow/tfjs-core';
import type { Model } from '@descent/core';
import { expectBadInput, expectNoLeaks, forEachBackend, snapshot } from '@descent/core/testing';
import { expect, it } from 'vitest';
import type { Masks } from './masks';
import { prune } from './prune';
import { synflowPrune } from './synflow-prune';
import { synflowScores } from './synflow-scores';
import { sample, tinyNet } from './test-support/tiny-mlp';

const SIZES = [6, 8, 5, 3];
const KERNELS = SIZES.slice(1).map((_, l) => `l${l}/kernel`);

/** Deterministic kernel (and bias) values of a dense net of `sizes`. */
function netValues(sizes: readonly number[]): Record<string, number[]> {
  const values: Record<string, number[]> = {};
  sizes.slice(1).forEach((o, l) => {
    values[`l${l}/kernel`] = sample((sizes[l] as number) * o, 10 + l, 1);
    values[`l${l}/bias`] = sample(o, 20 + l, 0.5);
  });
  return values;
}

/** `model` with `apply` counting its calls (and throwing from call `failAt` on, when given). */
function counting(
  model: Model,
  failAt = Number.POSITIVE_INFINITY,
): { model: Model; calls: () => number } {
  let n = 0;
  return {
    model: {
      ...model,
      apply: (p, x, o) => {
        n++;
        if (n >= failAt) throw new Error('apply failed');
        return model.apply(p, x, o);
      },
    },
    calls: () => n,
  };
}

/** Float64 forward and backward flows of a bias-free dense net: `a_l = 𝟙ᵀ|W_1|⋯|W_l|`, `b_l = |W_{l+1}|⋯|W_L|𝟙`. */
function flows(sizes: readonly number[], w: number[][]): { a: number[][]; b: number[][] } {
  const layers = sizes.length - 1;
  const a: number[][] = [Array(sizes[0]).fill(1)];
  for (let l = 0; l < layers; l++) {
    const [n, o] = [sizes[l] as number, sizes[l + 1] as number];
    const out = Array<number>(o).fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < o; j++) {
        out[j] = (out[j] as number) + (a[l]?.[i] as number) * (w[l]?.[i * o + j] as number);
      }
    }
    a.push(out);
  }
  const b: number[][] = Array(layers + 1);
  b[layers] = Array(sizes[layers]).fill(1);
  for (let l = layers - 1; l >= 0; l--) {
    const [n, o] = [sizes[l] as number, sizes[l + 1] as number];
    const out = Array<number>(n).fill(0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < o; j++) {
        out[i] = (out[i] as number) + (w[l]?.[i * o + j] as number) * (b[l + 1]?.[j] as number);
      }
    }
    b[l] = out;
  }
  return { a, b };
}

/** Float64 synaptic flow R = 𝟙ᵀ|W_1 ⊙ M_1|⋯|W_L ⊙ M_L|𝟙 of a bias-free dense net. */
function refFlow(sizes: readonly number[], kernels: number[][], masks: number[][]): number {
  const w = kernels.map((v, l) => v.map((x, i) => Math.abs(x) * (masks[l]?.[i] as number)));
  return (flows(sizes, w).a[sizes.length - 1] as number[]).reduce((s, v) => s + v, 0);
}

/**
 * Iterative SynFlow from the equations, in float64: round k scores s = |W ⊙ M| ⊙ ∂R/∂|W ⊙ M|
 * (s_l[i, j] = |w ⊙ m|_l[i, j] · a_l[i] · b_{l+1}[j]) and keeps round(d^(k/n) × total) weights
 * globally, removing the lowest score first (ties: layer, then flat index); zeros stay.
 */
function refSynflowPrune(
  sizes: readonly number[],
  kernels: number[][],
  density: number,
  n: number,
): number[][] {
  const masks = kernels.map((v) => v.map(() => 1));
  const total = kernels.reduce((s, v) => s + v.length, 0);
  for (let k = 1; k <= n; k++) {
    const w = kernels.map((v, l) => v.map((x, i) => Math.abs(x) * (masks[l]?.[i] as number)));
    const { a, b } = flows(sizes, w);
    const kept: { l: number; i: number; s: number }[] = [];
    w.forEach((v, l) => {
      const o = sizes[l + 1] as number;
      v.forEach((x, i) => {
        if (masks[l]?.[i] !== 1) return;
        const s = x * (a[l]?.[Math.floor(i / o)] as number) * (b[l + 1]?.[i % o] as number);
        kept.push({ l, i, s });
      });
    });
    const remove = Math.max(0, kept.length - Math.round(density ** (k / n) * total));
    const order = kept
      .map((_, q) => q)
      .sort((p, q) => (kept[p]?.s as number) - (kept[q]?.s as number) || p - q);
    for (const q of order.slice(0, remove)) {
      const e = kept[q] as { l: number; i: number };
      (masks[e.l] as number[])[e.i] = 0;
    }
  }
  return masks;
}

async function maskValues(masks: Masks, keys: readonly string[]): Promise<number[][]> {
  return Promise.all(keys.map(async (k) => Array.from(await (masks[k] as tf.Tensor).data())));
}
const sum = (v: readonly number[]) => v.reduce((s, x) => s + x, 0);
const disposeAll = (...records: Record<string, tf.Tensor>[]) =>
  tf.dispose(records.flatMap((r) => Object.values(r)));

forEachBackend('synflowPrune', () => {
  it('iterations 1 equals prune(synflowScores) at the density, global, mask for mask', async () => {
    const model = tinyNet(SIZES, netValues(SIZES), true);
    const before = await snapshot(model.params);
    await expectNoLeaks(async () => {
      const masks = await synflowPrune(model, { inputShape: [6], density: 0.3, iterations: 1 });
      const scores = await synflowScores(model, { inputShape: [6] });
      const expected = await prune(scores, { info: model.info, density: 0.3, scope: 'global' });
      expect(Object.keys(masks)).toEqual(KERNELS);
      expect(await maskValues(masks, KERNELS)).toEqual(await maskValues(expected, KERNELS));
      expect(sum((await maskValues(masks, KERNELS)).flat())).toBe(Math.round(0.3 * 103));
      disposeAll(masks, scores, expected);
    });
    expect(await snapshot(model.params)).toEqual(before);
    disposeAll(model.params);
  });

  for (const iterations of [5, 20]) {
    it(`iterations ${iterations}, density 0.1: masks equal the float64 loop from the equations`, async () => {
      const values = netValues(SIZES);
      const model = tinyNet(SIZES, values, false);
      const before = await snapshot(model.params);
      await expectNoLeaks(async () => {
        const masks = await synflowPrune(model, { inputShape: [6], density: 0.1, iterations });
        const kernels = KERNELS.map((k) => values[k] as number[]);
        const ref = refSynflowPrune(SIZES, kernels, 0.1, iterations);
        const got = await maskValues(masks, KERNELS);
        expect(got).toEqual(ref);
        expect(sum(got.flat())).toBe(Math.round(0.1 * 103));
        disposeAll(masks);
      });
      expect(await snapshot(model.params)).toEqual(before);
      disposeAll(model.params);
    });
  }

  it('keeps exactly round(d × total); the first j of n rounds are the run to d^(j/n), so its masks nest the result', async () => {
    const model = tinyNet(SIZES, netValues(SIZES), true);
    await expectNoLeaks(async () => {
      const [d, n, j] = [0.07, 12, 4];
      const final = await synflowPrune(model, { inputShape: [6], density: d, iterations: n });
      const prefix = await synflowPrune(model, {
        inputShape: [6],
        density: d ** (j / n),
        iterations: j,
      });
      const [f, p] = [await maskValues(final, KERNELS), await maskValues(prefix, KERNELS)];
      expect(sum(f.flat())).toBe(Math.round(d * 103));
      expect(sum(p.flat())).toBe(Math.round(d ** (j / n) * 103));
      const revived = f.flat().filter((v, i) => v === 1 && p.flat()[i] === 0).length;
      expect(revived).toBe(0);
      disposeAll(final, prefix);
    });
    disposeAll(model.params);
  });

  it('starts from given masks (their zeros stay, they are not changed), honours exclude and layerwise scope', async () => {
    const model = tinyNet(SIZES, netValues(SIZES), true);
    const start = sample(48, 7).map((v) => (v > 0 ? 1 : 0));
    const given = { 'l0/kernel': tf.tensor2d(start, [6, 8]) };
    const before = await snapshot(given);
    await expectNoLeaks(async () => {
      const masks = await synflowPrune(model, {
        inputShape: [6],
        density: 0.2,
        iterations: 6,
        masks: given,
      });
      const l0 = Array.from(await (masks['l0/kernel'] as tf.Tensor).data());
      expect(l0.filter((v, i) => v === 1 && start[i] === 0).length).toBe(0);
      expect(sum((await maskValues(masks, KERNELS)).flat())).toBe(Math.round(0.2 * 103));

      // The given masks keep fewer than round(0.9 × 103) weights, so nothing is removed and
      // nothing comes back, although the removed ones score 0 and would otherwise be ranked.
      const loose = await synflowPrune(model, {
        inputShape: [6],
        density: 0.9,
        iterations: 3,
        masks: given,
      });
      expect(sum(start) + 40 + 15).toBeLessThan(Math.round(0.9 * 103));
      expect(await maskValues(loose, KERNELS)).toEqual([
        start,
        Array(40).fill(1),
        Array(15).fill(1),
      ]);

      const layerwise = await synflowPrune(model, {
        inputShape: [6],
        density: 0.2,
        iterations: 6,
        scope: 'layerwise',
        exclude: ['l0/kernel'],
      });
      expect(Object.keys(layerwise)).toEqual(['l1/kernel', 'l2/kernel']);
      const kept = (await maskValues(layerwise, ['l1/kernel', 'l2/kernel'])).map(sum);
      expect(kept).toEqual([Math.round(0.2 * 40), Math.round(0.2 * 15)]);
      disposeAll(masks, loose, layerwise);
    });
    expect(await snapshot(given)).toEqual(before);
    disposeAll(model.params, given);
  });

  it('avoids layer collapse: at density 0.1 one shot empties a layer of a 4-16-16-2 net, 50 rounds keep it connected', async () => {
    const sizes = [4, 16, 16, 2];
    const values = netValues(sizes);
    const model = tinyNet(sizes, values, false);
    const keys = sizes.slice(1).map((_, l) => `l${l}/kernel`);
    const kernels = keys.map((k) => values[k] as number[]);
    await expectNoLeaks(async () => {
      const oneShot = await synflowPrune(model, { inputShape: [4], density: 0.1, iterations: 1 });
      const iterative = await synflowPrune(model, {
        inputShape: [4],
        density: 0.1,
        iterations: 50,
      });
      const one = await maskValues(oneShot, keys);
      const many = await maskValues(iterative, keys);
      expect(one.map(sum)).toContain(0);
      expect(refFlow(sizes, kernels, one)).toBe(0);
      expect(Math.min(...many.map(sum))).toBeGreaterThan(0);
      expect(refFlow(sizes, kernels, many)).toBeGreaterThan(0);
      expect(sum(many.flat())).toBe(Math.round(0.1 * (64 + 256 + 32)));
      disposeAll(oneShot, iterative);
    });
    disposeAll(model.params);
  });

  it('leaks nothing when scoring throws midway (apply fails in round 3, or refuses the input shape)', async () => {
    const model = tinyNet(SIZES, netValues(SIZES), true);
    const before = await snapshot(model.params);
    // synflowScores calls apply twice per round (a forward pass, then under the tape).
    const failing = counting(model, 5);
    await expectNoLeaks(async () => {
      await expect(
        synflowPrune(failing.model, { inputShape: [6], density: 0.1, iterations: 5 }),
      ).rejects.toThrow('apply failed');
    });
    expect(failing.calls()).toBe(5);
    await expectBadInput(
      () => synflowPrune(model, { inputShape: [7], density: 0.1, iterations: 3 }),
      {
        code: 'SHAPE_MISMATCH',
        mentions: ['synflowScores'],
        unchanged: model.params,
      },
    );
    expect(await snapshot(model.params)).toEqual(before);
    disposeAll(model.params);
  });

  it('refuses bad input before any scoring, naming the option, with no leak and params unchanged', async () => {
    const base = tinyNet(SIZES, netValues(SIZES), true);
    const { model, calls } = counting(base);
    const ok = { inputShape: [6], density: 0.1, iterations: 3 };
    const call = (m: unknown, o: unknown) => synflowPrune(m as Model, o as never);
    const wrongShape = tf.ones([8, 6]);
    const halves = tf.fill([6, 8], 0.5);
    const cases: [unknown, unknown, string | readonly string[], string[]][] = [
      [{ params: model.params, info: model.info }, ok, 'BAD_ARGUMENT', ['synflowPrune: model']],
      [42, ok, 'BAD_ARGUMENT', ['synflowPrune: model']],
      [model, 'dense', 'BAD_ARGUMENT', ['synflowPrune']],
      [model, { ...ok, rate: 0.5 }, 'UNKNOWN_PARAM', ['synflowPrune', 'rate']],
      [model, { inputShape: [6] }, 'BAD_HYPERPARAM', ['synflowPrune.density']],
      [model, { ...ok, density: 1.5 }, 'BAD_HYPERPARAM', ['synflowPrune.density', '1.5']],
      [model, { ...ok, density: -0.1 }, 'BAD_HYPERPARAM', ['synflowPrune.density']],
      [model, { ...ok, density: Number.NaN }, 'NON_FINITE', ['synflowPrune.density', 'NaN']],
      [model, { ...ok, iterations: 0 }, 'BAD_HYPERPARAM', ['synflowPrune.iterations', '0']],
      [model, { ...ok, iterations: 1.5 }, 'BAD_HYPERPARAM', ['synflowPrune.iterations', '1.5']],
      [model, { ...ok, scope: 'local' }, 'BAD_HYPERPARAM', ['synflowPrune.scope', 'local']],
      [
        model,
        { ...ok, exclude: ['l9/kernel'] },
        'UNKNOWN_PARAM',
        ['synflowPrune.exclude[0]', 'l9/kernel'],
      ],
      [model, { ...ok, inputShape: [0] }, 'BAD_ARGUMENT', ['synflowPrune.inputShape']],
      [model, { ...ok, inputShape: undefined }, 'BAD_ARGUMENT', ['synflowPrune.inputShape']],
      [
        model,
        { ...ok, masks: { 'l0/kernel': wrongShape } },
        'SHAPE_MISMATCH',
        ['synflowPrune.masks["l0/kernel"]', '[8, 6]'],
      ],
      [
        model,
        { ...ok, masks: { 'l0/bias': tf.ones([8]) } },
        'UNKNOWN_PARAM',
        ['synflowPrune.masks["l0/bias"]'],
      ],
      [
        model,
        { ...ok, masks: { 'l0/kernel': halves } },
        'BAD_ARGUMENT',
        ['synflowPrune.masks["l0/kernel"]', '0.5'],
      ],
    ];
    for (const [m, o, code, mentions] of cases) {
      await expectBadInput(() => call(m, o), {
        code: code as 'BAD_ARGUMENT',
        mentions,
        unchanged: base.params,
      });
    }
    expect(calls()).toBe(0);
    for (const [, o] of cases) {
      const masks = (o as { masks?: Masks } | undefined)?.masks;
      if (masks !== undefined && typeof o === 'object') disposeAll(masks);
    }
    disposeAll(base.params);
  });
});
