import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { groupNorm, layerNorm } from '@descent/norm';
import type { BenchCase } from '../bench-case';

/** One contender: a forward pass of `x` and the variables (γ, β) it reads. */
interface NormContender {
  forward(x: tf.Tensor): tf.Tensor;
  variables: tf.Variable[];
}

/**
 * Forward and backward of a normalization (`∂⟨y, dy⟩/∂(x, γ, β)`), descent's tfjs-ops version
 * against another implementation, on `shape`. The minimum traffic of a fused forward + backward
 * is 20 bytes per element (forward reads x and writes y; backward reads x and dy, writes dx).
 */
function normCase(
  name: string,
  shape: number[],
  makeDescent: (gamma: tf.Tensor, beta: tf.Tensor) => NormContender,
  makeBaseline: (gamma: tf.Tensor, beta: tf.Tensor) => NormContender,
): BenchCase {
  const elements = shape.reduce((a, b) => a * b, 1);
  const channels = shape[shape.length - 1] as number;
  return {
    name,
    elements,
    bytesPerStep: elements * 20,
    setup() {
      const x = tf.variable(tf.randomNormal(shape));
      const dy = tf.randomNormal(shape);
      const gamma = tf.randomNormal([channels], 1, 0.1);
      const beta = tf.randomNormal([channels], 0, 0.1);
      const contenders = { descent: makeDescent(gamma, beta), baseline: makeBaseline(gamma, beta) };
      const last: Record<'descent' | 'baseline', tf.Tensor[]> = { descent: [], baseline: [] };
      const step = (who: 'descent' | 'baseline') => () => {
        const { forward, variables } = contenders[who];
        const { value, grads } = tf.variableGrads(
          () => tf.sum(tf.mul(forward(x), dy)) as tf.Scalar,
          [x, ...variables],
        );
        tf.dispose(last[who]);
        last[who] = [grads[x.name] as tf.Tensor, value, ...variables.map((v) => grads[v.name]!)];
      };
      return {
        descent: step('descent'),
        baseline: step('baseline'),
        witness: (who) => last[who][0] as tf.Tensor,
        dispose: () => {
          tf.dispose([x, dy, gamma, beta, ...last.descent, ...last.baseline]);
          tf.dispose([...contenders.descent.variables, ...contenders.baseline.variables]);
        },
      };
    },
  };
}

/** descent's own γ and β as variables. */
const ownAffine =
  (forward: (x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor) => tf.Tensor) =>
  (gamma: tf.Tensor, beta: tf.Tensor): NormContender => {
    const g = tf.variable(gamma);
    const b = tf.variable(beta);
    return { forward: (x) => forward(x, g, b), variables: [g, b] };
  };

/** `layerNorm` over the last axis against tfjs-layers' `LayerNormalization` (ε = 1e-3 both). */
export function layerNormCase(rows: number, channels: number): BenchCase {
  return normCase(
    `layerNorm fwd+bwd ${rows} × ${channels}`,
    [rows, channels],
    ownAffine((x, gamma, beta) => layerNorm(x, { gamma, beta }, { epsilon: 1e-3 })),
    (gamma, beta) => {
      const layer = tfl.layers.layerNormalization({ axis: -1, epsilon: 1e-3 });
      layer.build([null, channels]);
      layer.setWeights([gamma, beta]);
      return {
        forward: (x) => layer.apply(x) as tf.Tensor,
        variables: layer.trainableWeights.map((w) =>
          (w as unknown as { read(): tf.Variable }).read(),
        ),
      };
    },
  );
}

/**
 * `groupNorm` (NHWC) against the same statistics written directly with `tf.moments` (tfjs has no
 * group normalization): the row shows what the tfjs-ops formulation costs next to the copy bandwidth.
 */
export function groupNormCase(n: number, hw: number, channels: number, groups: number): BenchCase {
  return normCase(
    `groupNorm fwd+bwd ${n} × ${hw}×${hw} × ${channels} (G ${groups})`,
    [n, hw, hw, channels],
    ownAffine((x, gamma, beta) => groupNorm(x, { gamma, beta }, { groups, epsilon: 1e-3 })),
    ownAffine((x, gamma, beta) => {
      const grouped = tf.reshape(x, [n, hw * hw, groups, channels / groups]);
      const { mean, variance } = tf.moments(grouped, [1, 3], true);
      const xHat = tf.mul(tf.sub(grouped, mean), tf.rsqrt(tf.add(variance, 1e-3)));
      return tf.add(tf.mul(tf.reshape(xHat, x.shape), gamma), beta);
    }),
  );
}
