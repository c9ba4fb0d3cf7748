import { DescentError, checkKnownKeys, checkNumber, checkTensor, formatShape } from '@descent/core';
import { MAX_CHANNELS, checkMomentsState, checkRecord } from './checks';
import type { BatchNormState } from './norm-state';

/**
 * Checks running statistics that did not come from this package's ops — restored from a
 * checkpoint, converted from another framework, built by hand — before they are used: `state`
 * must be `{ mean, variance }` of live float32 tensors of shape `[C]` (`[channels]` when given),
 * every value finite, and every variance ≥ 0.
 *
 * The ops themselves ({@link batchNorm}, {@link batchRenorm}, {@link switchableNorm}) check the
 * state's structure, shapes and dtypes but never read its values (that would need a device read on
 * every call), so a negative running variance would give NaN in inference (`√(σ̂² + ε)`). States
 * made by {@link batchNormState} and returned by the ops always pass. This one reads the two
 * tensors, asynchronously (it works on webgpu in Node).
 *
 * @throws DescentError `BAD_ARGUMENT` (not an object, or a negative variance, naming its index and
 * value), `UNKNOWN_PARAM`, `DISPOSED`, `DTYPE_MISMATCH`, `SHAPE_MISMATCH` (not `[C]`, or not
 * `[channels]`), `NON_FINITE` (NaN or ±∞, naming its index), `BAD_HYPERPARAM` (a bad `channels`).
 *
 * @example
 * ```ts
 * const state = { mean: tf.tensor1d(saved.mean), variance: tf.tensor1d(saved.variance) };
 * await checkBatchNormState(state, 64);
 * const { y } = batchNorm(x, params, state, { training: false });
 * ```
 */
export async function checkBatchNormState(state: BatchNormState, channels?: number): Promise<void> {
  const name = 'checkBatchNormState: state';
  if (channels !== undefined) {
    checkNumber('checkBatchNormState: channels', channels, {
      integer: true,
      min: 1,
      max: MAX_CHANNELS,
    });
  }
  checkRecord(name, state, '{ mean, variance } (see batchNormState)');
  checkKnownKeys(name, Object.keys(state), ['mean', 'variance']);
  const c = channels ?? channelsOf(`${name}.mean`, state.mean);
  checkMomentsState(name, state, [c], 'one per channel');
  const [means, variances] = await Promise.all([state.mean.data(), state.variance.data()]);
  firstBad(`${name}.mean`, means, state.mean.shape, () => false);
  firstBad(`${name}.variance`, variances, state.variance.shape, (v) => v < 0);
}

/** `C` of a `[C]` tensor. */
function channelsOf(name: string, mean: unknown): number {
  checkTensor(name, mean);
  if (mean.rank !== 1) {
    throw new DescentError(
      'SHAPE_MISMATCH',
      `${name} has shape ${formatShape(mean.shape)}, expected [C] (one per channel).`,
    );
  }
  return mean.shape[0] as number;
}

function firstBad(
  name: string,
  values: ArrayLike<number | string | Uint8Array>,
  shape: readonly number[],
  outOfDomain: (v: number) => boolean,
): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) {
      throw new DescentError(
        'NON_FINITE',
        `${name} (shape ${formatShape(shape)}) holds ${v} at index ${i}; running statistics must be finite.`,
      );
    }
    if (outOfDomain(v)) {
      throw new DescentError(
        'BAD_ARGUMENT',
        `${name} (shape ${formatShape(shape)}) holds ${v} at index ${i}; a variance must be ≥ 0.`,
      );
    }
  }
}
