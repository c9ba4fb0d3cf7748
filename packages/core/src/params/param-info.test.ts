import { describe, expect, it } from 'vitest';
import { expectDescentError } from '../testing/expect-descent-error';
import {
  type ParamInfo,
  type ParamLayout,
  checkParamInfo,
  computeFans,
  inferParamInfo,
  roleMask,
} from './param-info';

describe('computeFans', () => {
  it('reads dense kernels as [in, out]', () => {
    expect(computeFans([784, 300], 'dense')).toEqual({ fanIn: 784, fanOut: 300 });
  });

  it('reads conv2d kernels as [kh, kw, in, out]: fan_in = kh·kw·in, fan_out = kh·kw·out', () => {
    expect(computeFans([5, 5, 1, 6], 'conv2d')).toEqual({ fanIn: 25, fanOut: 150 });
    expect(computeFans([3, 2, 16, 32], 'conv2d')).toEqual({
      fanIn: 3 * 2 * 16,
      fanOut: 3 * 2 * 32,
    });
  });

  it('gives vectors fanIn = fanOut = length, and scalars 1', () => {
    expect(computeFans([300], 'vector')).toEqual({ fanIn: 300, fanOut: 300 });
    expect(computeFans([], 'vector')).toEqual({ fanIn: 1, fanOut: 1 });
  });

  it('rejects a rank that does not fit the layout (SHAPE_MISMATCH, naming the shape)', () => {
    expectDescentError(
      () => computeFans([784], 'dense'),
      'SHAPE_MISMATCH',
      "'dense'",
      '[784]',
      'rank 1',
    );
    expectDescentError(() => computeFans([5, 5, 6], 'conv2d'), 'SHAPE_MISMATCH', '[5, 5, 6]');
    expectDescentError(() => computeFans([2, 3], 'vector'), 'SHAPE_MISMATCH', '[2, 3]');
  });

  it('rejects unknown layouts and malformed shapes (BAD_ARGUMENT)', () => {
    expectDescentError(
      () => computeFans([2, 2], 'conv1d' as ParamLayout),
      'BAD_ARGUMENT',
      'conv1d',
    );
    expectDescentError(() => computeFans([2, -1], 'dense'), 'BAD_ARGUMENT', '[2,-1]');
    expectDescentError(
      () => computeFans([2, 1.5], 'dense'),
      'BAD_ARGUMENT',
      'non-negative integers',
    );
  });
});

describe('inferParamInfo', () => {
  it('recognizes Keras/tfjs weight names', () => {
    expect(inferParamInfo('dense1/kernel', [784, 300])).toEqual({
      role: 'weight',
      layer: 'dense1',
      layout: 'dense',
      fanIn: 784,
      fanOut: 300,
    });
    expect(inferParamInfo('conv1/kernel', [5, 5, 1, 6])).toEqual({
      role: 'weight',
      layer: 'conv1',
      layout: 'conv2d',
      fanIn: 25,
      fanOut: 150,
    });
    expect(inferParamInfo('dense1/bias', [300])).toEqual({
      role: 'bias',
      layer: 'dense1',
      layout: 'vector',
      fanIn: 300,
      fanOut: 300,
    });
  });

  it('maps batch-norm names to scale, shift and stat', () => {
    const roles = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map(
      (suffix) => inferParamInfo(`model/bn_1/${suffix}`, [16]).role,
    );
    expect(roles).toEqual(['scale', 'shift', 'stat', 'stat']);
    expect(inferParamInfo('model/bn_1/gamma', [16]).layer).toBe('model/bn_1');
  });

  it('ignores uniquifying suffixes and knows other kernel kinds', () => {
    expect(inferParamInfo('dense_Dense2/kernel_1', [3, 4]).role).toBe('weight');
    expect(inferParamInfo('dense/bias:0', [4]).role).toBe('bias');
    expect(inferParamInfo('lstm/recurrent_kernel', [4, 16]).role).toBe('weight');
    expect(inferParamInfo('dw/depthwise_kernel', [3, 3, 8, 1]).role).toBe('weight');
    expect(inferParamInfo('emb/embeddings', [1000, 64]).role).toBe('weight');
  });

  it('falls back on the rank for unknown names, and uses "" as layer without a slash', () => {
    expect(inferParamInfo('w', [2, 3])).toEqual({
      role: 'weight',
      layer: '',
      layout: 'dense',
      fanIn: 2,
      fanOut: 3,
    });
    expect(inferParamInfo('prelu/alpha', [8]).role).toBe('bias');
    expect(inferParamInfo('temperature', [])).toMatchObject({
      role: 'bias',
      layout: 'vector',
      fanIn: 1,
    });
  });

  it('refuses ranks no layout fits (SHAPE_MISMATCH naming the name and shape)', () => {
    expectDescentError(
      () => inferParamInfo('conv1d/kernel', [3, 8, 16]),
      'SHAPE_MISMATCH',
      '"conv1d/kernel"',
      '[3, 8, 16]',
      'ParamInfo',
    );
    expectDescentError(
      () => inferParamInfo('c3/kernel', [1, 2, 3, 4, 5]),
      'SHAPE_MISMATCH',
      'rank 5',
    );
    expectDescentError(() => inferParamInfo(3 as unknown as string, [2]), 'BAD_ARGUMENT', 'name');
  });
});

describe('roleMask', () => {
  const info: Record<string, ParamInfo> = {
    'dense1/kernel': inferParamInfo('dense1/kernel', [4, 3]),
    'dense1/bias': inferParamInfo('dense1/bias', [3]),
    'bn/gamma': inferParamInfo('bn/gamma', [3]),
    'bn/beta': inferParamInfo('bn/beta', [3]),
    'bn/moving_mean': inferParamInfo('bn/moving_mean', [3]),
  };

  it('is true exactly where the role is listed', () => {
    expect(roleMask(info, ['weight'])).toEqual({
      'dense1/kernel': true,
      'dense1/bias': false,
      'bn/gamma': false,
      'bn/beta': false,
      'bn/moving_mean': false,
    });
    expect(roleMask(info, ['bias', 'scale', 'shift'])).toEqual({
      'dense1/kernel': false,
      'dense1/bias': true,
      'bn/gamma': true,
      'bn/beta': true,
      'bn/moving_mean': false,
    });
    expect(Object.values(roleMask(info, []))).toEqual([false, false, false, false, false]);
  });

  it('rejects unknown roles and malformed info (BAD_ARGUMENT)', () => {
    expectDescentError(() => roleMask(info, ['kernel' as 'weight']), 'BAD_ARGUMENT', '"kernel"');
    expectDescentError(
      () => roleMask({ w: { role: 'filter' } as unknown as ParamInfo }, ['weight']),
      'BAD_ARGUMENT',
      'info["w"].role',
    );
    expectDescentError(() => roleMask(null as never, ['weight']), 'BAD_ARGUMENT', 'info');
  });
});

describe('checkParamInfo', () => {
  it('accepts inferred info and rejects malformed fields, naming them', () => {
    expect(() => checkParamInfo('info["w"]', inferParamInfo('w', [2, 2]))).not.toThrow();
    const good = inferParamInfo('d/kernel', [2, 2]);
    expectDescentError(
      () => checkParamInfo('i', { ...good, layout: 'conv3d' }),
      'BAD_ARGUMENT',
      'i.layout',
    );
    expectDescentError(
      () => checkParamInfo('i', { ...good, fanIn: -1 }),
      'BAD_ARGUMENT',
      'i.fanIn',
    );
    expectDescentError(
      () => checkParamInfo('i', { ...good, fanOut: 2.5 }),
      'BAD_ARGUMENT',
      'i.fanOut',
    );
    expectDescentError(() => checkParamInfo('i', { ...good, layer: 1 }), 'BAD_ARGUMENT', 'i.layer');
    expectDescentError(() => checkParamInfo('i', undefined), 'BAD_ARGUMENT', 'ParamInfo');
  });
});
