import * as tf from '@tensorflow/tfjs-core';
import { expectClose, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { it } from 'vitest';
import { synflowScores } from './synflow-scores';
import { matMul, sample, tinyNet, toMatrix } from './test-support/tiny-mlp';

const SIZES = [3, 4, 5, 2];

/** Float64 R = 𝟙ᵀ|W_1|⋯|W_L|𝟙 and each weight's score |W_l[i,j]|·left_i·right_j. */
function reference(values: Record<string, number[]>, scale = 1) {
  const w = SIZES.slice(1).map((o, l) =>
    toMatrix(
      (values[`l${l}/kernel`] as number[]).map((v) => Math.abs(v) / scale),
      SIZES[l] as number,
      o,
    ),
  );
  const left = (l: number) =>
    w.slice(0, l).reduce((h, m) => matMul(h, m), [Array(SIZES[0]).fill(1)]);
  const right = (l: number) =>
    w
      .slice(l + 1)
      .reduceRight(
        (h, m) => matMul(m, h),
        Array.from({ length: SIZES[SIZES.length - 1] as number }, () => [1]) as number[][],
      );
  const r = (left(w.length)[0] as number[]).reduce((s, v) => s + v, 0);
  const scores = w.map((m, l) => {
    const a = left(l)[0] as number[];
    const b = right(l).map((row) => row[0] as number);
    return m.flatMap((row, i) => row.map((v, j) => v * (a[i] as number) * (b[j] as number)));
  });
  return { r, scores };
}

forEachBackend('synflowScores', () => {
  it('bias-free ReLU net: scores = |θ| ⊙ ∂R/∂|θ| and every layer sums to R (conservation), float64 reference', async () => {
    await expectNoLeaks(async () => {
      const values: Record<string, number[]> = {};
      SIZES.slice(1).forEach((o, l) => {
        values[`l${l}/kernel`] = sample((SIZES[l] as number) * o, 10 + l, 1.2);
      });
      const model = tinyNet(SIZES, values, false);
      const scores = await synflowScores(model, { inputShape: [3] });
      const ref = reference(values);
      for (const [l, s] of ref.scores.entries()) {
        const t = scores[`l${l}/kernel`] as tf.Tensor;
        await expectClose(t, s, { rtol: 1e-4, atol: 1e-6 * ref.r });
        const sum = tf.sum(t);
        await expectClose(sum, ref.r, { rtol: 1e-4 });
        sum.dispose();
      }
      tf.dispose([...Object.values(scores), ...Object.values(model.params)]);
    });
  });
});

it('synflowScores rescales on float32 overflow: scores proportional to the float64 ones, ranking kept', async () => {
  await expectNoLeaks(async () => {
    const values: Record<string, number[]> = {};
    SIZES.slice(1).forEach((o, l) => {
      values[`l${l}/kernel`] = sample((SIZES[l] as number) * o, 10 + l, 1e14);
    });
    const model = tinyNet(SIZES, values, false);
    const scores = await synflowScores(model, { inputShape: [3] });
    const ref = reference(values, 1e14);
    // The float64 scores of θ/1e14 and the rescaled ones differ by one common factor.
    const first = (await (scores['l0/kernel'] as tf.Tensor).data())[0] as number;
    const factor = first / ((ref.scores[0] as number[])[0] as number);
    for (const [l, s] of ref.scores.entries()) {
      const scaled = s.map((v) => v * factor);
      await expectClose(scores[`l${l}/kernel`] as tf.Tensor, scaled, {
        rtol: 1e-4,
        atol: 1e-6 * Math.max(...scaled),
      });
    }
    tf.dispose([...Object.values(scores), ...Object.values(model.params)]);
  });
});
