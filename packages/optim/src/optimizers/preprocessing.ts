import * as tf from '@tensorflow/tfjs-core';
import {
  checkNumber,
  checkTensor,
  DescentError,
  formatShape,
  type Params,
  sameShape,
} from '@descent/core';
import type { CompiledStep, FusedStep } from '../fused/fused-step';
import { chain } from '../transform/chain';
import { namedChain } from '../transform/named-chain';
import type { GradientTransformation } from '../transform/gradient-transformation';
import { makeState, type TransformState } from '../transform/transform-state';
import { clipByGlobalNorm, globalClipFactor } from '../transforms/clip-by-global-norm';
import { maskUpdates } from '../transforms/mask-updates';

/** Gradient preprocessing every named optimizer accepts (and its fused path keeps). */
export interface PreprocessingOptions {
  /**
   * Clip the gradients of each step together to a global L2 norm of at most this (> 0), before
   * anything else (Keras' `global_clipnorm`, `clipByGlobalNorm` first in the chain). Default: no
   * clipping.
   */
  globalClipNorm?: number;
  /**
   * Pruning masks by variable name, shaped like their variables (0/1, or soft): every update is
   * multiplied by its mask, so pruned weights (mask 0) keep their value (`maskUpdates` last in
   * the chain). Copied as float32 at construction; the optimizer owns the copies (`dispose()`).
   * Not saved in the config: set them again on an optimizer loaded from a saved model.
   */
  masks?: Params;
}

/** The option names of {@link PreprocessingOptions}. */
export const PREPROCESSING_KEYS = ['globalClipNorm', 'masks'] as const;

/**
 * An optimizer's preprocessing: its chain spelling (`chain(clipByGlobalNorm?, core, maskUpdates?)`)
 * and the same preprocessing around a fused step, which reads the core's state inside it.
 */
export interface Preprocessor {
  wrap(core: GradientTransformation): GradientTransformation;
  /** The state with the core's state (inside the preprocessing) replaced by `f` of it. */
  withCore(state: TransformState, f: (core: TransformState) => TransformState): TransformState;
  runFused(
    step: FusedStep,
    state: TransformState,
    grads: Params,
    params: Record<string, tf.Variable>,
  ): TransformState;
  /** The same preprocessing around a compiled fused step (see `FusedStep.compile`). */
  compileFused(
    step: FusedStep,
    state: TransformState,
    keys: readonly string[],
    params: readonly tf.Variable[],
  ): CompiledStep | undefined;
  dispose(): void;
}

/**
 * The {@link Preprocessor} of a named optimizer's options, or `undefined` when they ask for none.
 *
 * @throws DescentError `BAD_HYPERPARAM` / `NON_FINITE` for a bad `globalClipNorm`; `BAD_ARGUMENT`
 *   for masks that are not a map of tensors; `DISPOSED` for a disposed mask.
 */
export function makePreprocessor(options: PreprocessingOptions): Preprocessor | undefined {
  const { globalClipNorm, masks } = options;
  if (globalClipNorm === undefined && masks === undefined) return undefined;
  if (globalClipNorm !== undefined) {
    checkNumber('globalClipNorm', globalClipNorm, { min: 0, minExclusive: true });
  }
  const owned = masks === undefined ? undefined : floatMasks(masks);
  const clip = globalClipNorm !== undefined;
  const wrap = (core: GradientTransformation) =>
    namedChain({
      clip: globalClipNorm === undefined ? undefined : clipByGlobalNorm(globalClipNorm),
      core,
      mask: owned === undefined ? undefined : maskUpdates(owned),
    });
  const { layout } = wrap(chain());
  const coreAt = layout.core as number;
  const withCore = (state: TransformState, f: (core: TransformState) => TransformState) =>
    makeState({ inner: state.inner.map((s, i) => (i === coreAt ? f(s) : s)) });
  return {
    wrap,
    withCore,
    runFused(step, state, grads, params) {
      if (owned) checkMaskShapes(owned, grads);
      const gscale = clip ? globalClipFactor(grads, globalClipNorm as number) : undefined;
      try {
        return withCore(state, (core) =>
          step.run(core, grads, params, {
            ...(gscale === undefined ? {} : { gscale }),
            ...(owned === undefined ? {} : { masks: owned }),
          }),
        );
      } finally {
        gscale?.dispose();
      }
    },
    compileFused(step, state, keys, params) {
      if (owned && !masksFit(owned, keys, params)) return undefined;
      const core = step.compile?.(state.inner[coreAt] as TransformState, keys, params, {
        clip,
        ...(owned === undefined ? {} : { masks: owned }),
      });
      if (!core) return undefined;
      return {
        run(grads) {
          if (!clip) return core.run(grads);
          const byKey: Params = {};
          keys.forEach((key, i) => {
            byKey[key] = grads[i] as tf.Tensor;
          });
          const gscale = globalClipFactor(byKey, globalClipNorm as number);
          try {
            core.run(grads, gscale);
          } finally {
            gscale.dispose();
          }
        },
        state: () => withCore(state, () => core.state()),
        dispose: () => core.dispose(),
      };
    },
    dispose: () => {
      if (owned) tf.dispose(Object.values(owned));
    },
  };
}

/** Whether every mask of these variables is live and shaped like its variable. */
function masksFit(masks: Params, keys: readonly string[], params: readonly tf.Variable[]): boolean {
  return keys.every((key, i) => {
    const m = masks[key];
    return (
      m === undefined || (!m.isDisposed && sameShape(m.shape, (params[i] as tf.Variable).shape))
    );
  });
}

function floatMasks(masks: Params): Params {
  if (typeof masks !== 'object' || masks === null) {
    throw new DescentError('BAD_ARGUMENT', 'masks must be a map of tensors by variable name.');
  }
  for (const [name, m] of Object.entries(masks)) checkTensor(`masks["${name}"]`, m);
  return tf.tidy(() =>
    Object.fromEntries(
      Object.entries(masks).map(([name, m]) => [name, tf.keep(tf.cast(m, 'float32'))]),
    ),
  );
}

function checkMaskShapes(masks: Params, grads: Params): void {
  for (const [name, g] of Object.entries(grads)) {
    const m = masks[name];
    if (m && !sameShape(m.shape, g.shape)) {
      throw new DescentError(
        'SHAPE_MISMATCH',
        `masks["${name}"] has shape ${formatShape(m.shape)} but the gradient of ${name} has shape ${formatShape(g.shape)}; they must match.`,
      );
    }
  }
}
