import * as tf from '@tensorflow/tfjs-core';
import { type Params, disposeParams } from '@descent/core';
import { mlp } from '@descent/nets';
import { dense, empiricalNtk, relu, serial } from '@descent/ntk';
import type { BenchCase } from '../bench-case';
import type { MeasureOptions } from '../measure';

/**
 * The empirical NTK (mean over the outputs) of an MLP on N inputs: descent's `empiricalNtk`
 * (batch-independent, so the dense Gram path) against the naive loop — one `tf.grads` per
 * example and output, the per-output Jacobians `J_a` `[N, P]` contracted as
 * `Σ_a J_a J_aᵀ / O`. `elements` counts kernel entries.
 */
export function empiricalNtkCase(sizes: number[], n: number, budget: MeasureOptions): BenchCase {
  const net = mlp({ sizes, seed: 1 });
  const parameters = Object.values(net.params).reduce((s, p) => s + p.size, 0);
  disposeParams(net.params);
  return {
    name: `empiricalNtk N=${n}, MLP ${sizes.join('-')} (${Math.round(parameters / 1000)}k params) vs per-example grads`,
    elements: n * n,
    bytesPerStep: n * n * 4,
    budget,
    setup() {
      const model = mlp({ sizes, seed: 1 });
      const x = tf.randomNormal([n, sizes[0] as number]);
      const last: Record<'descent' | 'baseline', tf.Tensor | undefined> = {
        descent: undefined,
        baseline: undefined,
      };
      const keep = (who: 'descent' | 'baseline', k: tf.Tensor) => {
        last[who]?.dispose();
        last[who] = k;
      };
      return {
        descent: () =>
          keep(
            'descent',
            empiricalNtk(model, model.params, x, undefined, { batchIndependent: true }),
          ),
        baseline: () => keep('baseline', naiveNtk(model.apply, model.params, x)),
        witness: (who) => last[who] as tf.Tensor,
        dispose: () => {
          tf.dispose([x, last.descent, last.baseline].filter((t) => t !== undefined));
          disposeParams(model.params);
        },
      };
    },
  };
}

/** `Σ_a J_a J_aᵀ / O` from one gradient per example and output. */
function naiveNtk(
  apply: (params: Params, x: tf.Tensor) => tf.Tensor,
  params: Params,
  x: tf.Tensor,
): tf.Tensor {
  const keys = Object.keys(params);
  const n = x.shape[0] as number;
  const outputs = tf.tidy(() => apply(params, tf.slice(x, 0, 1)).shape[1] as number);
  let kernel = tf.zeros([n, n]);
  for (let a = 0; a < outputs; a++) {
    const rows: tf.Tensor[] = [];
    for (let i = 0; i < n; i++) {
      rows.push(
        tf.tidy(() => {
          const xi = tf.slice(x, i, 1);
          const grads = tf.grads((...values: tf.Tensor[]) => {
            const p = Object.fromEntries(keys.map((k, j) => [k, values[j] as tf.Tensor]));
            return tf.reshape(tf.slice(apply(p, xi), [0, a], [1, 1]), []);
          })(keys.map((k) => params[k] as tf.Tensor));
          return tf.concat(grads.map((g) => tf.reshape(g, [-1])));
        }),
      );
    }
    const next = tf.tidy(() => {
      const j = tf.stack(rows);
      return tf.add(kernel, tf.matMul(j, j, false, true));
    });
    tf.dispose([kernel, ...rows]);
    kernel = next;
  }
  const mean = tf.div(kernel, outputs);
  kernel.dispose();
  return mean;
}

/**
 * The infinite-width NTK of a depth-5 ReLU net on N × N points: descent's `kernelFn` on the
 * float32 tfjs path against the same recursions in float64 JavaScript (its small-N path).
 */
export function analyticNtkCase(n: number, depth: number, budget: MeasureOptions): BenchCase {
  return {
    name: `kernelFn ${n} × ${n}, depth ${depth} ReLU: float32 tfjs vs float64 JS`,
    elements: n * n,
    bytesPerStep: n * n * 8,
    budget,
    setup() {
      const layers = Array.from({ length: depth }, () => [
        dense({ weightStd: 1.4, biasStd: 0.1 }),
        relu(),
      ]).flat();
      const { kernelFn } = serial(...layers, dense({ weightStd: 1.4, biasStd: 0.1 }));
      const x = tf.randomNormal([n, 16]);
      const last: Record<'descent' | 'baseline', tf.Tensor[]> = { descent: [], baseline: [] };
      const run = (who: 'descent' | 'baseline') => () => {
        const { nngp, ntk } = kernelFn(x, undefined, {
          precision: who === 'descent' ? 'float32' : 'float64',
        });
        tf.dispose(last[who]);
        last[who] = [ntk, nngp];
      };
      return {
        descent: run('descent'),
        baseline: run('baseline'),
        witness: (who) => last[who][0] as tf.Tensor,
        dispose: () => tf.dispose([x, ...last.descent, ...last.baseline]),
      };
    },
  };
}
