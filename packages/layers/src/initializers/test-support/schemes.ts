/**
 * Every initializer of this folder with its `@descent/init` scheme, options that move every knob
 * away from its default, and the shapes it is tested on (a dense and a conv2d kernel).
 */
import type * as tf from '@tensorflow/tfjs-core';
import * as init from '@descent/init';
import type { DescentInitializer } from '../descent-initializer';
import { deltaOrthogonal } from '../delta-orthogonal';
import { geometricMean } from '../geometric-mean';
import { glorotNormal, glorotUniform } from '../glorot';
import { heNormal, heUniform } from '../he';
import { lecunNormal, lecunUniform } from '../lecun';
import { orthogonal } from '../orthogonal';
import { truncatedNormal } from '../truncated-normal';

/** One initializer under test. */
export interface SchemeCase {
  name: string;
  className: string;
  make: (args: Record<string, unknown>) => DescentInitializer<init.RandomOptions>;
  reference: (shape: readonly number[], options: never) => tf.Tensor;
  options: Record<string, unknown>;
  /** A dense `[in, out]` kernel shape, or `null` where the scheme takes conv kernels only. */
  dense: number[] | null;
  conv: number[];
}

const DENSE = [6, 4];
const CONV = [3, 3, 2, 5];

function scheme(
  name: string,
  make: SchemeCase['make'],
  reference: SchemeCase['reference'],
  options: Record<string, unknown>,
  dense: number[] | null = DENSE,
): SchemeCase {
  const className = `descent.${name[0]!.toUpperCase()}${name.slice(1)}`;
  return { name, className, make, reference, options, dense, conv: CONV };
}

export const SCHEMES: SchemeCase[] = [
  scheme('lecunNormal', lecunNormal as never, init.lecunNormal, { distribution: 'normal' }),
  scheme('lecunUniform', lecunUniform as never, init.lecunUniform, {}),
  scheme('glorotNormal', glorotNormal as never, init.glorotNormal, { gain: 1.5 }),
  scheme('glorotUniform', glorotUniform as never, init.glorotUniform, { gain: 0.5 }),
  scheme('heNormal', heNormal as never, init.heNormal, {
    fanMode: 'fanOut',
    nonlinearity: 'leakyRelu',
    a: 0.2,
    distribution: 'normal',
  }),
  scheme('heUniform', heUniform as never, init.heUniform, { nonlinearity: 'tanh' }),
  scheme('orthogonal', orthogonal as never, init.orthogonal, { gain: 2 }),
  scheme('deltaOrthogonal', deltaOrthogonal as never, init.deltaOrthogonal, { gain: 1.25 }, null),
  scheme('truncatedNormal', truncatedNormal as never, init.truncatedNormal, {
    mean: 0.5,
    stddev: 0.3,
  }),
  scheme('geometricMean', geometricMean as never, init.geometricMean, {
    c: 2,
    distribution: 'uniform',
  }),
];
