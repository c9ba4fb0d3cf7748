export { expectClose, type Numeric, type Tolerance } from './expect-close';
export { expectNoLeaks } from './expect-no-leaks';
export { numericGrad, type NumericGradOptions } from './numeric-grad';
export { forEachBackend, type ForEachBackendOptions } from './for-each-backend';
export { expectDescentError, expectDescentErrorAsync } from './expect-descent-error';
