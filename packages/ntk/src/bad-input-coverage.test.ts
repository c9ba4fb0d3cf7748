import { expectExportsCovered } from '@descent/core/testing';
import { it } from 'vitest';
import * as ntk from './index';

/** Each callable export and the suite that refuses its bad input. */
const COVERED: Record<string, string> = {
  empiricalNtk: 'empirical/bad-input.test.ts',
  perExampleGrads: 'empirical/bad-input.test.ts',
  symmetricEigen: '@descent/core (linalg/symmetric-eigen.test.ts)',
  symmetricEigenvalues: '@descent/core (linalg/symmetric-eigen.test.ts)',
  gradientDescentMse: 'dynamics/bad-input-dynamics.test.ts',
  maxLearningRate: 'dynamics/bad-input-dynamics.test.ts',
  ntkSpectrum: 'dynamics/bad-input-dynamics.test.ts',
  dense: 'infinite/bad-input.test.ts',
  relu: 'infinite/bad-input.test.ts',
  erf: 'infinite/bad-input.test.ts',
  abRelu: 'infinite/bad-input.test.ts',
  serial: 'infinite/bad-input.test.ts',
};

it('every callable export has bad-input cases', () => {
  expectExportsCovered(ntk, COVERED);
});
