/**
 * Test support (not exported): what the bad-input suite needs to know about each scheme that
 * takes a shape — a valid call, its numeric options with their accepted ranges, its named choices
 * and the values that would overflow float32.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { NumberRange } from '@descent/core';
import { constant } from '../constant';
import { deltaOrthogonal } from '../delta-orthogonal';
import { NONLINEARITIES } from '../gain';
import { geometricMean } from '../geometric-mean';
import { glorotNormal, glorotUniform } from '../glorot';
import { heNormal, heUniform } from '../he';
import { lecunNormal, lecunUniform } from '../lecun';
import { normal } from '../normal';
import { orthogonal } from '../orthogonal';
import { truncatedNormal } from '../truncated-normal';
import { uniform } from '../uniform';
import { DISTRIBUTIONS, FAN_MODES, varianceScaling } from '../variance-scaling';
import { zeros } from '../zeros';

/** A scheme under test. */
export interface SchemeCase {
  /** The scheme, typed loosely so bad arguments can be passed. */
  call: (shape: unknown, options?: unknown) => tf.Tensor;
  /** A shape the scheme accepts. */
  shape: number[];
  /** A layout that does not fit `shape`. */
  wrongLayout: string;
  /** Whether it needs `rng` or `seed`. */
  random: boolean;
  /** Whether it needs fans (a rank-3 shape is then refused). */
  fans: boolean;
  /** Numeric options and the range each accepts (given the other options' defaults and `base`). */
  numbers: Record<string, NumberRange>;
  /** Options whose value goes into the tensor as is: beyond float32's range is refused. */
  float32: readonly string[];
  /** Values of numeric options that are in range but would make the draws overflow float32. */
  overflow: Record<string, readonly number[]>;
  /** Options naming one of a set of strings. */
  choices: Record<string, readonly string[]>;
  /** Options every call of the case adds (so that e.g. `a` is meaningful). */
  base?: Record<string, unknown>;
}

const NORMALS = ['truncatedNormal', 'normal'] as const;
const POSITIVE: NumberRange = { min: 0, minExclusive: true };
const common = { wrongLayout: 'conv2d', random: true, fans: true, float32: [], overflow: {} };

const loose = (f: unknown) => f as SchemeCase['call'];

/** Every scheme of the package that takes a shape, by export name. */
export const SCHEME_CASES: Record<string, SchemeCase> = {
  zeros: {
    ...common,
    call: loose(zeros),
    shape: [2, 3],
    random: false,
    fans: false,
    numbers: {},
    choices: {},
  },
  constant: {
    ...common,
    call: loose(constant),
    shape: [2, 3],
    random: false,
    fans: false,
    numbers: { value: {} },
    float32: ['value'],
    choices: {},
  },
  normal: {
    ...common,
    call: loose(normal),
    shape: [2, 3],
    fans: false,
    numbers: { mean: {}, stddev: { min: 0 } },
    float32: ['mean', 'stddev'],
    overflow: { stddev: [1e38, 3e38] },
    choices: {},
  },
  uniform: {
    ...common,
    call: loose(uniform),
    shape: [2, 3],
    fans: false,
    numbers: { minval: {}, maxval: { min: -0.05, minExclusive: true } },
    float32: ['minval', 'maxval'],
    choices: {},
  },
  truncatedNormal: {
    ...common,
    call: loose(truncatedNormal),
    shape: [2, 3],
    fans: false,
    numbers: { mean: {}, stddev: { min: 0 } },
    float32: ['mean', 'stddev'],
    overflow: { stddev: [2e38, 3e38] },
    choices: {},
  },
  varianceScaling: {
    ...common,
    call: loose(varianceScaling),
    shape: [4, 3],
    numbers: { scale: POSITIVE },
    overflow: { scale: [1e78, 1e300] },
    choices: { mode: FAN_MODES, distribution: DISTRIBUTIONS },
  },
  lecunNormal: {
    ...common,
    call: loose(lecunNormal),
    shape: [4, 3],
    numbers: {},
    choices: { distribution: NORMALS },
  },
  lecunUniform: { ...common, call: loose(lecunUniform), shape: [4, 3], numbers: {}, choices: {} },
  glorotNormal: {
    ...common,
    call: loose(glorotNormal),
    shape: [4, 3],
    numbers: { gain: POSITIVE },
    overflow: { gain: [1e39, 1e200] },
    choices: { distribution: NORMALS },
  },
  glorotUniform: {
    ...common,
    call: loose(glorotUniform),
    shape: [4, 3],
    numbers: { gain: POSITIVE },
    overflow: { gain: [1e39, 1e200] },
    choices: {},
  },
  heNormal: {
    ...common,
    call: loose(heNormal),
    shape: [4, 3],
    numbers: { a: { min: 0 } },
    choices: { fanMode: ['fanIn', 'fanOut'], nonlinearity: NONLINEARITIES, distribution: NORMALS },
    base: { nonlinearity: 'leakyRelu' },
  },
  heUniform: {
    ...common,
    call: loose(heUniform),
    shape: [4, 3],
    numbers: { a: { min: 0 } },
    choices: { fanMode: ['fanIn', 'fanOut'], nonlinearity: NONLINEARITIES },
    base: { nonlinearity: 'leakyRelu' },
  },
  geometricMean: {
    ...common,
    call: loose(geometricMean),
    shape: [4, 3],
    numbers: { c: POSITIVE },
    overflow: { c: [1e78, 1e300] },
    choices: { distribution: DISTRIBUTIONS },
  },
  orthogonal: {
    ...common,
    call: loose(orthogonal),
    shape: [4, 3],
    fans: false,
    numbers: { gain: POSITIVE },
    float32: ['gain'],
    choices: {},
  },
  deltaOrthogonal: {
    ...common,
    call: loose(deltaOrthogonal),
    shape: [3, 3, 2, 4],
    wrongLayout: 'dense',
    fans: false,
    numbers: { gain: POSITIVE },
    float32: ['gain'],
    choices: {},
  },
};
