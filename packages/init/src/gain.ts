import { DescentError, checkNumber, describeValue } from '@descent/core';

/** The nonlinearities {@link gain} knows. `'linear'` also stands for the identity and for conv layers. */
export type Nonlinearity = 'linear' | 'sigmoid' | 'tanh' | 'relu' | 'leakyRelu' | 'selu';

/** All {@link Nonlinearity} names, in declaration order. */
export const NONLINEARITIES: readonly Nonlinearity[] = [
  'linear',
  'sigmoid',
  'tanh',
  'relu',
  'leakyRelu',
  'selu',
];

/** The default negative slope of `'leakyRelu'` (torch's `negative_slope`). */
export const DEFAULT_LEAKY_RELU_SLOPE = 0.01;

/**
 * The recommended gain `g` of a nonlinearity: the factor by which a fan-scaled initialization's
 * standard deviation is multiplied so that the forward second moment stays constant across
 * layers (`Var(W) = g²/fan`). The values are those of PyTorch's `torch.nn.init.calculate_gain`:
 *
 * | nonlinearity | gain |
 * | --- | --- |
 * | `'linear'`, `'sigmoid'` | 1 |
 * | `'tanh'` | 5/3 |
 * | `'relu'` | √2 |
 * | `'leakyRelu'` (slope `a`, default 0.01) | √(2 / (1 + a²)) |
 * | `'selu'` | 3/4 |
 *
 * √2 for ReLU is He et al.'s derivation (half the units are off, so the second moment halves at
 * every layer); the tanh and SELU values are PyTorch's heuristics (SELU's 3/4 is meant for
 * self-normalizing nets initialized with `lecunNormal`-like variance, Klambauer et al. 2017).
 *
 * @param nonlinearity - one of {@link NONLINEARITIES}.
 * @param param - the negative slope `a ≥ 0` for `'leakyRelu'` (default 0.01); not allowed for the others.
 * @throws DescentError `BAD_ARGUMENT` for an unknown nonlinearity or a `param` given to one that takes
 *   none; `BAD_HYPERPARAM`/`NON_FINITE` for a bad slope (`null` included).
 * @example
 * ```ts
 * gain('relu'); // 1.4142135623730951
 * gain('leakyRelu', 0.2); // √(2 / 1.04) = 1.3867504905630728
 * ```
 * @see K. He et al., Delving Deep into Rectifiers, ICCV 2015.
 */
export function gain(nonlinearity: Nonlinearity, param?: number): number {
  return nonlinearityGain(
    { nonlinearity: 'gain: nonlinearity', slope: 'gain: param' },
    nonlinearity,
    param,
  );
}

/**
 * {@link gain} for a scheme's options, naming the arguments `names.nonlinearity` and
 * `names.slope` in its errors (`'heNormal.nonlinearity'`, `'heNormal.a'`).
 *
 * @throws DescentError as {@link gain} does.
 */
export function nonlinearityGain(
  names: { nonlinearity: string; slope: string },
  nonlinearity: unknown,
  param: unknown,
): number {
  if (!NONLINEARITIES.includes(nonlinearity as Nonlinearity)) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${names.nonlinearity} must be one of ${NONLINEARITIES.map((n) => `'${n}'`).join(', ')}, got ${describeValue(nonlinearity)}.`,
    );
  }
  if (nonlinearity === 'leakyRelu') {
    const a = param === undefined ? DEFAULT_LEAKY_RELU_SLOPE : param;
    checkNumber(`${names.slope} (the leakyRelu slope)`, a, { min: 0 });
    return Math.sqrt(2 / (1 + a * a));
  }
  if (param !== undefined) {
    throw new DescentError(
      'BAD_ARGUMENT',
      `${names.slope} is only for nonlinearity 'leakyRelu', got ${describeValue(param)} with '${nonlinearity}'.`,
    );
  }
  switch (nonlinearity) {
    case 'tanh':
      return 5 / 3;
    case 'relu':
      return Math.SQRT2;
    case 'selu':
      return 3 / 4;
    default:
      return 1;
  }
}
