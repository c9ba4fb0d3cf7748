import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { checkDataset, shapeSize } from './dataset';

// Pure JavaScript: runs once, not per backend.
describe('checkDataset', () => {
  const good = {
    x: new Float32Array(12),
    xShape: [2, 3],
    y: new Int32Array([0, 1]),
    yShape: [],
    n: 2,
    numClasses: 2,
  };

  it('accepts a well-formed dataset and computes shape sizes', () => {
    expect(() => checkDataset('ds', good)).not.toThrow();
    expect(() =>
      checkDataset('ds', { ...good, y: new Float32Array(4), yShape: [2], numClasses: undefined }),
    ).not.toThrow();
    expect(shapeSize([])).toBe(1);
    expect(shapeSize([2, 3, 4])).toBe(24);
  });

  it('names the field and the expected size when something is off', () => {
    expectDescentError(() => checkDataset('ds', null), 'BAD_ARGUMENT', 'ds must be a Dataset');
    expectDescentError(() => checkDataset('ds', { ...good, n: -1 }), 'BAD_ARGUMENT', 'ds.n');
    expectDescentError(
      () => checkDataset('ds', { ...good, xShape: [2, 0] }),
      'BAD_ARGUMENT',
      'ds.xShape',
    );
    expectDescentError(
      () => checkDataset('ds', { ...good, y: new Uint8Array(2) }),
      'DTYPE_MISMATCH',
      'ds.y',
      'Uint8Array',
    );
    expectDescentError(
      () => checkDataset('ds', { ...good, y: new Int32Array(3) }),
      'SHAPE_MISMATCH',
      'ds.y has 3 values',
      '2',
    );
    expectDescentError(
      () => checkDataset('ds', { ...good, x: new Float32Array(11) }),
      'SHAPE_MISMATCH',
      'ds.x has 11 values',
      '12',
    );
    expectDescentError(
      () => checkDataset('ds', { ...good, numClasses: 0 }),
      'BAD_ARGUMENT',
      'ds.numClasses',
    );
    expectDescentError(
      () => checkDataset('ds', { ...good, y: new Int32Array([0, -1]) }),
      'BAD_ARGUMENT',
      'ds.y[1] is -1',
    );
  });
});
