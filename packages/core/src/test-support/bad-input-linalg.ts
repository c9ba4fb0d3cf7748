import { checkSymmetric, symmetricEigen, symmetricEigenvalues, withSecondOrder } from '../index';
import { expectBadInput } from '../testing/bad-input';
import { it } from 'vitest';
import type { CaseGroup } from './bad-input-helpers';

const NOT_SYMMETRIC = [
  [1, 2],
  [0, 1],
];

/** Bad-input cases of the float64 linear algebra on the host and of the second-order scope. */
export const LINALG_CASES: CaseGroup = {
  symmetricEigen: () => {
    it('symmetricEigen refuses bad orders, ragged, non-finite and asymmetric matrices', async () => {
      await expectBadInput(() => symmetricEigen([[1]], 0), {
        code: 'BAD_ARGUMENT',
        mentions: ['n'],
      });
      await expectBadInput(() => symmetricEigen(new Float64Array(5), 2), {
        code: 'SHAPE_MISMATCH',
        mentions: ['a', '5'],
      });
      await expectBadInput(
        () =>
          symmetricEigen(
            [
              [1, Number.NaN],
              [Number.NaN, 1],
            ],
            2,
          ),
        {
          code: 'NON_FINITE',
          mentions: ['a[0][1]'],
        },
      );
      await expectBadInput(() => symmetricEigen(NOT_SYMMETRIC, 2), {
        code: 'BAD_ARGUMENT',
        mentions: ['symmetric', 'a[0][1]'],
      });
    });
  },
  symmetricEigenvalues: () => {
    it('symmetricEigenvalues refuses what symmetricEigen refuses', async () => {
      await expectBadInput(() => symmetricEigenvalues('ab' as never, 1), {
        code: 'BAD_ARGUMENT',
        mentions: ['a'],
      });
      await expectBadInput(() => symmetricEigenvalues(NOT_SYMMETRIC, 2), {
        code: 'BAD_ARGUMENT',
        mentions: ['symmetric'],
      });
    });
  },
  checkSymmetric: () => {
    it('checkSymmetric names the matrix and its largest asymmetry', async () => {
      await expectBadInput(() => checkSymmetric('kernel', [1, 2, 0, 1], 2), {
        code: 'BAD_ARGUMENT',
        mentions: ['kernel', 'a[0][1]', '2'],
      });
    });
  },
  withSecondOrder: () => {
    it('withSecondOrder refuses a computation that is no function', async () => {
      for (const bad of [undefined, 3, 'f', {}]) {
        await expectBadInput(() => withSecondOrder(bad as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['fn'],
        });
      }
    });
  },
};
