import type * as tf from '@tensorflow/tfjs-core';
import { DescentError, type Params } from '@descent/core';

/**
 * The current value of parameter `name`, for a transformation that needs `params` (weight decay,
 * trust ratios, parameter-scaled steps).
 *
 * @throws DescentError `BAD_ARGUMENT` naming the transformation when the caller passed none.
 */
export function requireParam(
  transform: string,
  params: Params | undefined,
  name: string,
): tf.Tensor {
  const p = params?.[name];
  if (!p) {
    throw new DescentError('BAD_ARGUMENT', `${transform} needs params; none given for "${name}".`);
  }
  return p;
}
