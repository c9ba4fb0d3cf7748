import { expectExportsCovered } from '@descent/core/testing';
import { expect, it } from 'vitest';
import * as optim from './index';
import { OPTIMIZER_EXPORTS_COVERED } from './test-support/bad-input-optimizers';
import { TRANSFORM_EXPORTS_COVERED } from './test-support/bad-input-transforms';

it('every callable export has bad-input cases (optimizers/bad-input.test.ts, transforms/bad-input.test.ts)', () => {
  const both = OPTIMIZER_EXPORTS_COVERED.filter((name) => TRANSFORM_EXPORTS_COVERED.includes(name));
  expect(both, 'exports claimed by both suites').toEqual([]);
  expectExportsCovered(optim, [...OPTIMIZER_EXPORTS_COVERED, ...TRANSFORM_EXPORTS_COVERED]);
});
