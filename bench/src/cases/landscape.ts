import * as tf from '@tensorflow/tfjs-core';
import { type Params, Rng, disposeParams, softmaxCrossEntropy } from '@descent/core';
import { hvp, surface2d } from '@descent/landscape';
import { mlp } from '@descent/nets';
import type { BenchCase } from '../bench-case';
import type { MeasureOptions } from '../measure';

/** An MLP, a batch of n random inputs with labels, and its mean cross-entropy as a function of θ. */
function mlpLoss(sizes: number[], n: number, activation: 'relu' | 'tanh') {
  const model = mlp({ sizes, activation, seed: 1 });
  const rng = new Rng(2);
  const x = rng.normal([n, sizes[0] as number]);
  const classes = sizes[sizes.length - 1] as number;
  const y = tf.tensor1d(
    Array.from({ length: n }, () => rng.int(0, classes)),
    'int32',
  );
  const loss = (p: Params) => softmaxCrossEntropy(model.apply(p, x), y);
  return {
    model,
    loss,
    dispose: () => {
      tf.dispose([x, y]);
      disposeParams(model.params);
    },
  };
}

/**
 * A Hessian-vector product against one gradient of the same loss: descent's `hvp` (double
 * backprop inside the second-order scope) vs `tf.grads` — "speedup" is gradient ms / HVP ms, so
 * 0.33 means an HVP costs three gradients (Pearlmutter's bound is about 2–4). `elements` counts
 * parameters.
 */
export function hvpCase(
  sizes: number[],
  n: number,
  activation: 'relu' | 'tanh',
  budget?: MeasureOptions,
): BenchCase {
  const parameters = sizes.slice(1).reduce((s, out, i) => s + ((sizes[i] as number) + 1) * out, 0);
  return {
    name: `hvp vs one gradient: MLP ${sizes.join('-')} ${activation} (${Math.round(parameters / 1000)}k params), batch ${n}, cross-entropy`,
    elements: parameters,
    bytesPerStep: parameters * 4,
    ...(budget ? { budget } : {}),
    setup() {
      const { model, loss, dispose } = mlpLoss(sizes, n, activation);
      const keys = Object.keys(model.params);
      const rng = new Rng(3);
      const v: Params = Object.fromEntries(
        keys.map((k) => [k, rng.normal((model.params[k] as tf.Tensor).shape)]),
      );
      const last: Record<'descent' | 'baseline', tf.Tensor[]> = { descent: [], baseline: [] };
      const keep = (who: 'descent' | 'baseline', ts: tf.Tensor[]) => {
        tf.dispose(last[who]);
        last[who] = ts;
      };
      const xs = keys.map((k) => model.params[k] as tf.Tensor);
      const lossOfList = (...values: tf.Tensor[]) =>
        loss(Object.fromEntries(keys.map((k, i) => [k, values[i] as tf.Tensor]))) as tf.Scalar;
      return {
        descent: () => keep('descent', Object.values(hvp(loss, model.params, v))),
        baseline: () => keep('baseline', tf.grads(lossOfList)(xs)),
        witness: (who) => last[who][0] as tf.Tensor,
        dispose: () => {
          tf.dispose([...last.descent, ...last.baseline]);
          disposeParams(v);
          dispose();
        },
      };
    },
  };
}

/**
 * A 2-D loss surface of `grid × grid` points: descent's `surface2d` (each point built directly from
 * θ₀, rows of θ₀ + α·d₁ reused, 16 losses per device read) against the straightforward loop that
 * builds every point and reads its loss on its own. `elements` counts points, so elements/s is
 * points per second.
 */
export function surface2dCase(
  sizes: number[],
  n: number,
  grid: number,
  budget: MeasureOptions,
): BenchCase {
  return {
    name: `surface2d ${grid}×${grid} points: MLP ${sizes.join('-')}, batch ${n} vs one read per point`,
    elements: grid * grid,
    bytesPerStep: grid * grid * 4,
    budget,
    setup() {
      const { model, loss, dispose } = mlpLoss(sizes, n, 'relu');
      const rng = new Rng(4);
      const direction = () =>
        Object.fromEntries(
          Object.entries(model.params).map(([k, t]) => [k, rng.normal(t.shape, 0, 0.01)]),
        ) as Params;
      const d1 = direction();
      const d2 = direction();
      const done = tf.scalar(0);
      const steps = Array.from({ length: grid }, (_, i) => -1 + (2 * i) / (grid - 1));
      return {
        descent: async () => {
          await surface2d(loss, model.params, d1, d2, { range: [-1, 1], points: grid });
        },
        baseline: async () => {
          for (const alpha of steps) {
            for (const beta of steps) {
              const value = tf.tidy(() =>
                loss(
                  Object.fromEntries(
                    Object.entries(model.params).map(([k, t]) => [
                      k,
                      tf.add(
                        t,
                        tf.add(tf.mul(d1[k] as tf.Tensor, alpha), tf.mul(d2[k] as tf.Tensor, beta)),
                      ),
                    ]),
                  ),
                ),
              );
              await value.data();
              value.dispose();
            }
          }
        },
        witness: () => done,
        dispose: () => {
          tf.dispose(done);
          disposeParams(d1);
          disposeParams(d2);
          dispose();
        },
      };
    },
  };
}
