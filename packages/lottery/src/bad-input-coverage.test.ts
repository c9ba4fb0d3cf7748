import { expectExportsCovered } from '@descent/core/testing';
import { expect, it } from 'vitest';
import * as lottery from './index';
import { IMP_EXPORTS_COVERED } from './test-support/bad-input-imp';
import { PRUNE_EXPORTS_COVERED } from './test-support/bad-input-prune';
import { SALIENCY_EXPORTS_COVERED } from './test-support/bad-input-saliency';

const SUITES: Record<string, readonly string[]> = {
  'bad-input-prune': PRUNE_EXPORTS_COVERED,
  'bad-input-saliency': SALIENCY_EXPORTS_COVERED,
  'bad-input-imp': IMP_EXPORTS_COVERED,
};

it('every callable export has bad-input cases, each claimed by one suite (prune, saliency, imp)', () => {
  const claimedBy = new Map<string, string[]>();
  for (const [suite, names] of Object.entries(SUITES)) {
    for (const name of names) claimedBy.set(name, [...(claimedBy.get(name) ?? []), suite]);
  }
  const shared = [...claimedBy].filter(([, suites]) => suites.length > 1);
  expect(shared, 'exports claimed by more than one suite').toEqual([]);
  expectExportsCovered(lottery, [...claimedBy.keys()]);
});
