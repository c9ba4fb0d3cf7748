/**
 * Test support (not exported): the optimizers of the bad-input suite, each with how to build it
 * and which of its options take which range, and the index exports that suite covers.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { NumberRange } from '@descent/core';
import * as optim from '../index';

/** One optimizer of the suite. */
export interface OptimizerCase {
  /** Builds it from options (`undefined`: defaults, plus a learning rate where one is required). */
  make(options?: unknown): tf.Optimizer;
  /** Its factory's name, as messages name its options. */
  what: string;
  /** Its numeric options and their ranges (bad numbers must be refused). */
  numbers: Record<string, NumberRange>;
  /** Options for which `null` means "off" (not a bad number). */
  nullable?: readonly string[];
  /** Its learning rate's range, where it has one. */
  learningRate?: NumberRange;
}

const NON_NEGATIVE: NumberRange = { min: 0 };
const DECAY: NumberRange = { min: 0, max: 1, maxExclusive: true };

/** A named optimizer with η ≥ 0, weight decay ≥ 0 and the given other options. */
function named(
  make: (options: never) => tf.Optimizer,
  what: string,
  numbers: Record<string, NumberRange> = {},
  required = false,
): OptimizerCase {
  return {
    make: (options) =>
      make((options === undefined && required ? { learningRate: 0.1 } : options) as never),
    what,
    numbers: { learningRate: NON_NEGATIVE, weightDecay: NON_NEGATIVE, ...numbers },
    learningRate: NON_NEGATIVE,
  };
}

/** Every optimizer of the package, by factory name. */
export const OPTIMIZER_CASES: Record<string, OptimizerCase> = {
  adam: named(optim.adam, 'adam', { beta1: DECAY, beta2: DECAY, epsilon: NON_NEGATIVE }),
  adamw: named(optim.adamw, 'adamw', { beta1: DECAY, beta2: DECAY, epsilon: NON_NEGATIVE }),
  adamax: named(optim.adamax, 'adamax', { epsilon: NON_NEGATIVE }),
  nadam: named(optim.nadam, 'nadam', { epsilon: NON_NEGATIVE }),
  radam: named(optim.radam, 'radam', { epsilon: NON_NEGATIVE }),
  adabound: named(optim.adabound, 'adabound', { epsilon: NON_NEGATIVE }),
  yogi: {
    ...named(optim.yogi, 'yogi', { epsilon: NON_NEGATIVE }),
    numbers: { learningRate: NON_NEGATIVE, epsilon: NON_NEGATIVE },
  },
  padam: named(optim.padam, 'padam', { epsilon: NON_NEGATIVE }),
  sgd: named(optim.sgd, 'sgd', { momentum: NON_NEGATIVE }),
  adagrad: named(optim.adagrad, 'adagrad', { epsilon: NON_NEGATIVE }),
  rmsprop: named(optim.rmsprop, 'rmsprop', { epsilon: NON_NEGATIVE, rho: NON_NEGATIVE }),
  adadelta: named(optim.adadelta, 'adadelta', { epsilon: NON_NEGATIVE }),
  lion: named(optim.lion, 'lion'),
  lars: named(optim.lars, 'lars', { trustCoefficient: { min: 0, minExclusive: true } }, true),
  lamb: named(optim.lamb, 'lamb', { epsilon: NON_NEGATIVE }, true),
  adafactor: {
    make: (options) => optim.adafactor(options as never),
    what: 'adafactor',
    numbers: { learningRate: NON_NEGATIVE, eps: NON_NEGATIVE, weightDecayRate: NON_NEGATIVE },
    nullable: ['weightDecayRate'],
    learningRate: NON_NEGATIVE,
  },
  lbfgs: {
    make: (options) => optim.lbfgs(options as never),
    what: 'lbfgs',
    numbers: {
      learningRate: { min: 0, minExclusive: true },
      maxIter: { min: 1, integer: true },
      historySize: { min: 1, integer: true },
      toleranceGrad: NON_NEGATIVE,
    },
    learningRate: { min: 0, minExclusive: true },
  },
  lookahead: {
    make: (options) => optim.lookahead(optim.sgd({ learningRate: 0.1 }), options as never),
    what: 'lookahead',
    numbers: { k: { min: 1, integer: true }, alpha: { min: 0, max: 1 } },
  },
  swa: {
    make: (options) => optim.swa(optim.sgd({ learningRate: 0.1 }), options as never),
    what: 'swa',
    numbers: { start: { min: 0, integer: true }, frequency: { min: 1, integer: true } },
  },
  fromTransform: {
    make: (options) =>
      optim.fromTransform(
        optim.chain(optim.scaleByAdam(options as never), optim.scaleByLearningRate(0.1)),
      ),
    what: 'scaleByAdam',
    numbers: {},
  },
};

/** Every option name of every optimizer, so that generated unknown names avoid them all. */
export const ALL_OPTION_NAMES: readonly string[] = [
  ...'learningRate beta1 beta2 epsilon eps amsgrad amsbound weightDecay weightDecayMask'.split(' '),
  ...'decoupledWeightDecay momentumDecay finalLr gamma initialAccumulatorValue partial'.split(' '),
  ...'momentum nesterov dampening lrDecay rho centered trustCoefficient trustRatioMask'.split(' '),
  ...'minDimSizeToFactor decayRate decayOffset multiplyByParameterScale clippingThreshold'.split(
    ' ',
  ),
  ...'weightDecayRate factored maxIter maxEval toleranceGrad toleranceChange historySize'.split(
    ' ',
  ),
  ...'lineSearchFn k alpha start frequency globalClipNorm masks'.split(' '),
];

/** The index exports the optimizers' bad-input suite covers. */
export const OPTIMIZER_EXPORTS_COVERED: readonly string[] = [
  'TransformOptimizer',
  'fromTransform',
  'NamedOptimizer',
  'defineOptimizer',
  'registerOptimizer',
  'booleanOption',
  'chainCheckedOption',
  'hyperOption',
  'maskOption',
  'numberOption',
  'requiredHyperOption',
  'Adam',
  'adam',
  'AdamW',
  'adamw',
  'Adamax',
  'adamax',
  'NAdam',
  'nadam',
  'RAdam',
  'radam',
  'AdaBound',
  'adabound',
  'Yogi',
  'yogi',
  'Padam',
  'padam',
  'SGD',
  'sgd',
  'Adagrad',
  'adagrad',
  'RMSprop',
  'rmsprop',
  'Adadelta',
  'adadelta',
  'Lion',
  'lion',
  'Lars',
  'lars',
  'Lamb',
  'lamb',
  'Adafactor',
  'adafactor',
  'LBFGS',
  'lbfgs',
  'WrapperOptimizer',
  'optimizerFromConfig',
  'Lookahead',
  'lookahead',
  'SWA',
  'swa',
];

/** The classes behind the factories, for `new Cls(bad)` (constructors check as factories do). */
export const OPTIMIZER_CLASSES: Record<string, new (options?: never) => tf.Optimizer> = {
  Adam: optim.Adam,
  AdamW: optim.AdamW,
  Adamax: optim.Adamax,
  NAdam: optim.NAdam,
  RAdam: optim.RAdam,
  AdaBound: optim.AdaBound,
  Yogi: optim.Yogi,
  Padam: optim.Padam,
  SGD: optim.SGD,
  Adagrad: optim.Adagrad,
  RMSprop: optim.RMSprop,
  Adadelta: optim.Adadelta,
  Lion: optim.Lion,
  Lars: optim.Lars,
  Lamb: optim.Lamb,
  Adafactor: optim.Adafactor,
  LBFGS: optim.LBFGS,
};
