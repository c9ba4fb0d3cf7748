import * as tf from '@tensorflow/tfjs-core';
import { expectDescentError, expectNoLeaks, forEachBackend } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { abRelu } from './ab-relu';
import { dense } from './dense';
import type { Layer } from './layer';
import { relu } from './relu';
import { serial } from './serial';

describe('layers and serial refuse bad descriptions', () => {
  it('dense checks its options', () => {
    expectDescentError(() => dense({ weightStd: -1 }), 'BAD_HYPERPARAM', 'dense.weightStd', '-1');
    expectDescentError(() => dense({ biasStd: Number.NaN }), 'NON_FINITE', 'dense.biasStd');
    expectDescentError(() => dense({ width: 1.5 }), 'BAD_HYPERPARAM', 'dense.width', '1.5');
    expectDescentError(
      () => dense({ parameterization: 'mup' as 'ntk' }),
      'BAD_HYPERPARAM',
      'dense.parameterization',
      '"mup"',
    );
    expectDescentError(() => dense({ widht: 3 } as never), 'UNKNOWN_PARAM', 'widht');
    expectDescentError(() => dense(7 as never), 'BAD_ARGUMENT', 'dense');
  });

  it('abRelu checks its slopes', () => {
    expectDescentError(() => abRelu(Number.POSITIVE_INFINITY, 1), 'NON_FINITE', 'abRelu: a');
    expectDescentError(() => abRelu(0, '1' as never), 'BAD_HYPERPARAM', 'abRelu: b');
  });

  it('serial refuses unknown layers and nets it cannot compute', () => {
    expectDescentError(() => serial(), 'BAD_ARGUMENT', 'serial', 'none');
    expectDescentError(() => serial(dense(), relu()), 'BAD_ARGUMENT', 'last layer', 'relu');
    const tanh = { kind: 'tanh' } as unknown as Layer;
    expectDescentError(
      () => serial(dense(), tanh, dense()),
      'BAD_ARGUMENT',
      'serial: layers[1]',
      '"kind"',
    );
    expectDescentError(
      () => serial(dense(), 42 as never, dense()),
      'BAD_ARGUMENT',
      'serial: layers[1]',
      'number 42',
    );
    expectDescentError(() => serial(relu(), dense()), 'BAD_ARGUMENT', 'serial: layers[0]', 'relu');
    expectDescentError(
      () => serial(dense(), relu(), relu(), dense()),
      'BAD_ARGUMENT',
      'serial: layers[2]',
    );
    expectDescentError(
      () => serial(dense(), relu(), dense({ parameterization: 'standard' })),
      'BAD_ARGUMENT',
      'serial: layers[2]',
      'width',
    );
    const forged = { kind: 'dense', weightStd: -2 } as unknown as Layer;
    expectDescentError(() => serial(forged), 'BAD_HYPERPARAM', 'serial: layers[0].weightStd', '-2');
    const extra = { kind: 'relu', alpha: 1 } as unknown as Layer;
    expectDescentError(() => serial(dense(), extra, dense()), 'BAD_ARGUMENT', 'serial: layers[1]');
    const slope = { kind: 'abRelu', a: Number.NaN, b: 1 } as unknown as Layer;
    expectDescentError(() => serial(dense(), slope, dense()), 'NON_FINITE', 'serial: layers[1].a');
  });

  it('accepts descriptions that went through JSON', async () => {
    const layers = JSON.parse(JSON.stringify([dense({ biasStd: 0.1 }), abRelu(0.2, 1), dense()]));
    const { nngp, ntk } = serial(...layers).kernelFn([[1, 2]]);
    // K₁ = 5/2 + 0.01; diag of abRelu: (0.04 + 1)/2·K₁; Θ = K₂ + 0.52·K₁.
    const k1 = 2.51;
    const expected = [0.52 * k1, 0.52 * k1 + 0.52 * k1];
    expect((await nngp.data())[0]).toBeCloseTo(expected[0] as number, 6);
    expect((await ntk.data())[0]).toBeCloseTo(expected[1] as number, 6);
    tf.dispose([nngp, ntk]);
  });
});

forEachBackend('kernelFn refuses bad input without leaking', (backend) => {
  const { kernelFn } = serial(dense(), relu(), dense());

  it('checks shapes, dtypes, values and options before allocating', async () => {
    const x = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const y = tf.zeros([2, 4]);
    const flat = tf.zeros([3]);
    const flags = tf.tensor2d([[true, false]], [1, 2], 'bool');
    const gone = tf.zeros([2, 3]);
    gone.dispose();
    await expectNoLeaks(() => {
      expectDescentError(() => kernelFn(flat), 'SHAPE_MISMATCH', 'x1', '[3]');
      expectDescentError(() => kernelFn(x, y), 'SHAPE_MISMATCH', 'x1', 'x2', '[2, 3]', '[2, 4]');
      expectDescentError(
        () => kernelFn([[1, 2, 3]], [[1, 2]]),
        'SHAPE_MISMATCH',
        '[1, 3]',
        '[1, 2]',
      );
      expectDescentError(() => kernelFn(flags), 'DTYPE_MISMATCH', 'x1', 'bool');
      expectDescentError(() => kernelFn(gone), 'DISPOSED', 'x1');
      expectDescentError(() => kernelFn('points' as never), 'BAD_ARGUMENT', 'x1', '"points"');
      expectDescentError(() => kernelFn([1, 2] as never), 'SHAPE_MISMATCH', 'x1', 'number 1');
      expectDescentError(() => kernelFn([]), 'SHAPE_MISMATCH', 'x1', 'empty');
      expectDescentError(() => kernelFn([[1, 2], [3]]), 'SHAPE_MISMATCH', 'x1[1]', 'length 1');
      expectDescentError(() => kernelFn([[1, Number.NaN]]), 'NON_FINITE', 'x1[0][1]', 'NaN');
      expectDescentError(() => kernelFn(x, [[1, 2, '3']] as never), 'BAD_ARGUMENT', 'x2[0][2]');
      expectDescentError(
        () => kernelFn(x, null, { precision: 'float16' as 'float32' }),
        'BAD_HYPERPARAM',
        'kernelFn.precision',
      );
      expectDescentError(
        () => kernelFn(x, null, { digits: 3 } as never),
        'UNKNOWN_PARAM',
        'digits',
      );
    });
    tf.dispose([x, y, flat, flags]);
  });

  it('reports non-finite tensor values where it can read them, and float64 only where possible', async () => {
    const bad = tf.tensor2d([[1, Number.POSITIVE_INFINITY]]);
    await expectNoLeaks(() => {
      if (backend === 'webgpu') {
        expectDescentError(
          () => kernelFn(bad, null, { precision: 'float64' }),
          'BAD_ARGUMENT',
          'float64',
          'webgpu',
        );
      } else {
        expectDescentError(() => kernelFn(bad), 'NON_FINITE', 'x1[0][1]', 'Infinity');
        expectDescentError(
          () => kernelFn(bad, null, { precision: 'float32' }),
          'NON_FINITE',
          'x1[0][1]',
        );
      }
    });
    bad.dispose();
  });
});
