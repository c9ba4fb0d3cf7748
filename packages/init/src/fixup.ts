import * as tf from '@tensorflow/tfjs-core';
import {
  DescentError,
  type Model,
  type Params,
  checkModel,
  copyTensor,
  describeValue,
  disposeParams,
} from '@descent/core';
import type { Nonlinearity } from './gain';
import { heNormal } from './he';
import { InitOptionReader } from './init-option-reader';
import type { RandomOptions } from './options';

/** Options of {@link fixupScale}. */
export interface FixupScaleOptions {
  /** The number `L ≥ 1` of residual branches. */
  branches: number;
  /** The number `m ≥ 2` of weight layers in each branch. */
  layersPerBranch: number;
}

/**
 * The Fixup rescaling factor `L^(−1/(2m−2))` for `L` residual branches of `m` layers each
 * (Zhang, Dauphin & Ma 2019, rule 2): multiplying the standard init of the first `m − 1` layers
 * of every branch by it keeps the update of the network output `Θ(η)` per SGD step, whatever
 * the depth, without normalization.
 *
 * @param options - `branches` (L, a positive integer) and `layersPerBranch` (m, an integer ≥ 2).
 * @returns `L^(−1/(2m−2))`, in (0, 1].
 * @throws DescentError `BAD_HYPERPARAM`/`NON_FINITE` for a missing, non-integer or out-of-range L
 *   or m; `BAD_ARGUMENT` for options that are not an object, `UNKNOWN_PARAM` for an unknown name.
 * @example
 * ```ts
 * fixupScale({ branches: 16, layersPerBranch: 2 }); // 16^(−1/2) = 0.25
 * ```
 * @see H. Zhang, Y. Dauphin, T. Ma, Fixup Initialization: Residual Learning Without
 *   Normalization, ICLR 2019.
 */
export function fixupScale(options: FixupScaleOptions): number {
  const read = new InitOptionReader('fixupScale', options, ['branches', 'layersPerBranch']);
  const branches = read.integer('branches', undefined, { min: 1 });
  const layersPerBranch = read.integer('layersPerBranch', undefined, { min: 2 });
  return branches ** (-1 / (2 * layersPerBranch - 2));
}

/** Options of {@link fixup}. */
export interface FixupOptions extends RandomOptions {
  /**
   * The residual branches: for each, the `ParamInfo.layer` names of its weight layers in forward
   * order (e.g. `[['block0/conv1', 'block0/conv2'], …]`). Each needs at least two layers.
   */
  branches: readonly (readonly string[])[];
  /**
   * The classification layer, initialized to zero. Default: the layer of the last `weight`
   * parameter (in `model.params` key order) that is in no branch; `null` for none.
   */
  classifier?: string | null;
  /** The nonlinearity for the He initialization (default `'relu'`). */
  nonlinearity?: Nonlinearity;
  /** Negative slope when `nonlinearity` is `'leakyRelu'`. */
  a?: number;
}

/**
 * Fixup initialization of a residual network (Zhang, Dauphin & Ma 2019), returning new params:
 *
 * - the **last** weight layer of every residual branch and the **classifier**: zeros, so every
 *   residual block starts as the identity and the output as 0;
 * - the other weight layers of a branch with `m` layers: He normal (`N(0, g²/fanIn)`, untruncated)
 *   times `fixupScale({ branches: L, layersPerBranch: m })`, `L` = the number of branches;
 * - every other weight (stem, shortcuts, …): He normal, unscaled;
 * - biases and shifts (the paper's scalar biases): 0; scales (the scalar multipliers): 1;
 *   running statistics: copied.
 *
 * The branch structure cannot be guessed from parameter names, so it is given as layer names
 * (`ParamInfo.layer`). Parameter `name` draws from `rng.child(name)`, so adding a layer does not
 * change the others. The caller's parameters are neither disposed nor modified.
 *
 * @param model - the residual network.
 * @param options - `branches` (required), `classifier`, `nonlinearity` (`'relu'`), `a`, `rng` or `seed`.
 * @returns new params (the caller disposes them).
 * @throws DescentError `BAD_ARGUMENT` for something that is not a model, malformed branches
 *   (holes and non-strings included), unknown layers, a layer in two branches, a bad or in-branch
 *   classifier, an unknown nonlinearity, `a` without `'leakyRelu'`, a missing or bad generator;
 *   `BAD_HYPERPARAM` for a branch with fewer than two layers or a bad slope `a`; `DISPOSED` for a
 *   disposed parameter; `UNKNOWN_PARAM` for an unknown option. Nothing is allocated on failure.
 * @example
 * ```ts
 * const params = fixup(model, { branches: [['b0/d1', 'b0/d2'], ['b1/d1', 'b1/d2']], seed: 0 });
 * ```
 * @see H. Zhang, Y. Dauphin, T. Ma, Fixup Initialization, ICLR 2019.
 */
export function fixup(model: Model, options: FixupOptions): Params {
  const fn = 'fixup';
  checkModel(`${fn}: model`, model);
  const read = new InitOptionReader(fn, options, [
    'rng',
    'seed',
    'branches',
    'classifier',
    'nonlinearity',
    'a',
  ]);
  read.gain('nonlinearity', 'a');
  const nonlinearity = (read.raw('nonlinearity') ?? 'relu') as Nonlinearity;
  const a = read.raw('a') as number | undefined;
  const weightLayers = new Set(
    Object.keys(model.params)
      .filter((k) => model.info[k]!.role === 'weight')
      .map((k) => model.info[k]!.layer),
  );
  const branches = checkBranches(fn, read.raw('branches'), weightLayers);
  const inBranch = new Map<string, { index: number; last: boolean; m: number }>();
  for (const branch of branches) {
    branch.forEach((layer, index) => {
      if (inBranch.has(layer)) {
        throw new DescentError(
          'BAD_ARGUMENT',
          `${fn}.branches names layer ${JSON.stringify(layer)} more than once (a layer is in one branch position only).`,
        );
      }
      inBranch.set(layer, { index, last: index === branch.length - 1, m: branch.length });
    });
  }
  // `classifier: null` keeps the head He-initialized: the one option whose null is not "absent".
  const given = options?.classifier === null ? null : read.raw('classifier');
  const classifier = resolveClassifier(fn, model, given, inBranch, weightLayers);
  const rng = read.rng()();
  const params: Params = {};
  try {
    for (const [key, t] of Object.entries(model.params)) {
      const info = model.info[key]!;
      if (info.role === 'bias' || info.role === 'shift') {
        params[key] = tf.zeros(t.shape);
      } else if (info.role === 'scale') {
        params[key] = tf.ones(t.shape);
      } else if (info.role === 'stat') {
        params[key] = copyTensor(t);
      } else {
        const position = inBranch.get(info.layer);
        if (info.layer === classifier || position?.last) {
          params[key] = tf.zeros(t.shape);
        } else {
          const he = heNormal(t.shape, {
            layout: info.layout,
            nonlinearity,
            ...(a === undefined ? {} : { a }),
            distribution: 'normal',
            rng: rng.child(key),
          });
          if (position) {
            const factor = fixupScale({ branches: branches.length, layersPerBranch: position.m });
            params[key] = tf.tidy(() => tf.mul(he, tf.scalar(factor)));
            he.dispose();
          } else {
            params[key] = he;
          }
        }
      }
    }
  } catch (error) {
    disposeParams(params);
    throw error;
  }
  return params;
}

function checkBranches(fn: string, branches: unknown, weightLayers: Set<string>): string[][] {
  if (!Array.isArray(branches) || branches.length === 0) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}.branches must be a non-empty array of arrays of layer names, got ${describeValue(branches)}.`,
    );
  }
  const out: string[][] = [];
  for (let b = 0; b < branches.length; b++) {
    out.push(checkBranch(`${fn}.branches[${b}]`, branches[b], weightLayers));
  }
  return out;
}

/** One branch: an array (without holes) of at least two layer names that have weights. */
function checkBranch(name: string, branch: unknown, weightLayers: Set<string>): string[] {
  if (!Array.isArray(branch)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${name} must be an array of layer names, got ${describeValue(branch)}.`,
    );
  }
  const layers: string[] = [];
  for (let i = 0; i < branch.length; i++) {
    const layer: unknown = branch[i];
    if (typeof layer !== 'string' || !weightLayers.has(layer)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${name}[${i}] must name a layer with a 'weight' parameter in model.info, got ${i in branch ? describeValue(layer) : 'a hole'}.`,
      );
    }
    layers.push(layer);
  }
  if (layers.length < 2) {
    throw new DescentError(
      'BAD_HYPERPARAM',
      `${name} has ${layers.length} layer(s); Fixup's scale L^(−1/(2m−2)) needs m ≥ 2.`,
    );
  }
  return layers;
}

function resolveClassifier(
  fn: string,
  model: Model,
  classifier: unknown,
  inBranch: Map<string, unknown>,
  weightLayers: Set<string>,
): string | null {
  if (classifier === null) return null;
  if (classifier === undefined) {
    const outside = Object.keys(model.params)
      .filter((k) => model.info[k]!.role === 'weight' && !inBranch.has(model.info[k]!.layer))
      .map((k) => model.info[k]!.layer);
    return outside.length > 0 ? outside[outside.length - 1]! : null;
  }
  if (typeof classifier !== 'string' || !weightLayers.has(classifier)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}.classifier must be null or a layer with a 'weight' parameter, got ${describeValue(classifier)}.`,
    );
  }
  if (inBranch.has(classifier)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${fn}.classifier ${JSON.stringify(classifier)} is inside a residual branch.`,
    );
  }
  return classifier;
}
