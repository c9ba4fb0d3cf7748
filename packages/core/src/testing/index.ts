export { expectClose, type Numeric, type Tolerance } from './expect-close';
export { expectNoLeaks } from './expect-no-leaks';
export { numericGrad, type NumericGradOptions } from './numeric-grad';
export { forEachBackend, type ForEachBackendOptions } from './for-each-backend';
export { expectDescentError, expectDescentErrorAsync } from './expect-descent-error';
export {
  expectBadInput,
  snapshot,
  type BadInputExpectation,
  type Watched,
  type WeightsOwner,
} from './bad-input';
export {
  nonFiniteNumber,
  notANumber,
  notABoolean,
  notAFiniteNumber,
  outOfRange,
  badNumber,
  notAPlainObject,
  notATensor,
  notAFunction,
  unknownName,
  otherShape,
  BAD_INPUT_RUNS,
} from './bad-values';
export { expectExportsCovered } from './export-coverage';
