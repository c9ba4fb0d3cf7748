import { expectExportsCovered } from '@descent/core/testing';
import { expect, it } from 'vitest';
import * as lottery from './index';
import { PRUNE_EXPORTS_COVERED } from './test-support/bad-input-prune';
import { SALIENCY_EXPORTS_COVERED } from './test-support/bad-input-saliency';

it('every callable export has bad-input cases (bad-input-prune and bad-input-saliency tests)', () => {
  const both = PRUNE_EXPORTS_COVERED.filter((name) => SALIENCY_EXPORTS_COVERED.includes(name));
  expect(both, 'exports claimed by both suites').toEqual([]);
  expectExportsCovered(lottery, [...PRUNE_EXPORTS_COVERED, ...SALIENCY_EXPORTS_COVERED]);
});
