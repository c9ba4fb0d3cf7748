import { type ParamInfo, checkModel, disposeParams, paramCount } from '@descent/core';
import { forEachBackend } from '@descent/core/testing';
import { expect, it } from 'vitest';
import { lenet300100 } from './lenet300100';
import { lenet5 } from './lenet5';
import { mlp } from './mlp';
import type { Net } from './net';
import { resMlp } from './res-mlp';
import { wideMlp } from './wide-mlp';

type Row = [
  key: string,
  shape: number[],
  role: ParamInfo['role'],
  layer: string,
  layout: ParamInfo['layout'],
  fanIn: number,
  fanOut: number,
];

/** Asserts the net's params and info are exactly `rows`, in this (forward) order. */
function expectTable(net: Net, rows: Row[]): void {
  checkModel('net', net);
  expect(Object.keys(net.params)).toEqual(rows.map((r) => r[0]));
  expect(Object.keys(net.info)).toEqual(rows.map((r) => r[0]));
  for (const [key, shape, role, layer, layout, fanIn, fanOut] of rows) {
    expect(net.params[key]?.shape, key).toEqual(shape);
    expect(net.params[key]?.dtype, key).toBe('float32');
    expect(net.info[key], key).toEqual({ role, layer, layout, fanIn, fanOut });
  }
}

forEachBackend(
  'ParamInfo of every built-in net',
  () => {
    it('mlp [4, 8, 3]', () => {
      const net = mlp({ sizes: [4, 8, 3] });
      expectTable(net, [
        ['dense1/kernel', [4, 8], 'weight', 'dense1', 'dense', 4, 8],
        ['dense1/bias', [8], 'bias', 'dense1', 'vector', 8, 8],
        ['dense2/kernel', [8, 3], 'weight', 'dense2', 'dense', 8, 3],
        ['dense2/bias', [3], 'bias', 'dense2', 'vector', 3, 3],
      ]);
      expect(net.layers).toEqual(['dense1', 'dense2']);
      disposeParams(net.params);
    });

    it('mlp [4, 8, 8, 3] with batch norm (no bias before the norm) and with layer norm', () => {
      const bn = mlp({ sizes: [4, 8, 8, 3], norm: 'batch' });
      const norm = (name: string, stats: boolean): Row[] => [
        [`${name}/gamma`, [8], 'scale', name, 'vector', 8, 8],
        [`${name}/beta`, [8], 'shift', name, 'vector', 8, 8],
        ...(stats
          ? ([
              [`${name}/moving_mean`, [8], 'stat', name, 'vector', 8, 8],
              [`${name}/moving_variance`, [8], 'stat', name, 'vector', 8, 8],
            ] as Row[])
          : []),
      ];
      expectTable(bn, [
        ['dense1/kernel', [4, 8], 'weight', 'dense1', 'dense', 4, 8],
        ...norm('dense1_bn', true),
        ['dense2/kernel', [8, 8], 'weight', 'dense2', 'dense', 8, 8],
        ...norm('dense2_bn', true),
        ['dense3/kernel', [8, 3], 'weight', 'dense3', 'dense', 8, 3],
        ['dense3/bias', [3], 'bias', 'dense3', 'vector', 3, 3],
      ]);
      const ln = mlp({ sizes: [4, 8, 3], norm: { type: 'layer', epsilon: 1e-5 } });
      expectTable(ln, [
        ['dense1/kernel', [4, 8], 'weight', 'dense1', 'dense', 4, 8],
        ...norm('dense1_ln', false),
        ['dense2/kernel', [8, 3], 'weight', 'dense2', 'dense', 8, 3],
        ['dense2/bias', [3], 'bias', 'dense2', 'vector', 3, 3],
      ]);
      disposeParams(bn.params);
      disposeParams(ln.params);
    });

    it('lenet300100: 784-300-100-10, 266 610 parameters', () => {
      const net = lenet300100();
      expectTable(net, [
        ['dense1/kernel', [784, 300], 'weight', 'dense1', 'dense', 784, 300],
        ['dense1/bias', [300], 'bias', 'dense1', 'vector', 300, 300],
        ['dense2/kernel', [300, 100], 'weight', 'dense2', 'dense', 300, 100],
        ['dense2/bias', [100], 'bias', 'dense2', 'vector', 100, 100],
        ['dense3/kernel', [100, 10], 'weight', 'dense3', 'dense', 100, 10],
        ['dense3/bias', [10], 'bias', 'dense3', 'vector', 10, 10],
      ]);
      expect(paramCount(net.params)).toBe(266610);
      disposeParams(net.params);
    });

    it('lenet5: conv 5×5×1×6, conv 5×5×6×16, 400-120-84-10, 61 706 parameters', () => {
      const net = lenet5();
      expectTable(net, [
        ['conv1/kernel', [5, 5, 1, 6], 'weight', 'conv1', 'conv2d', 25, 150],
        ['conv1/bias', [6], 'bias', 'conv1', 'vector', 6, 6],
        ['conv2/kernel', [5, 5, 6, 16], 'weight', 'conv2', 'conv2d', 150, 400],
        ['conv2/bias', [16], 'bias', 'conv2', 'vector', 16, 16],
        ['dense1/kernel', [400, 120], 'weight', 'dense1', 'dense', 400, 120],
        ['dense1/bias', [120], 'bias', 'dense1', 'vector', 120, 120],
        ['dense2/kernel', [120, 84], 'weight', 'dense2', 'dense', 120, 84],
        ['dense2/bias', [84], 'bias', 'dense2', 'vector', 84, 84],
        ['dense3/kernel', [84, 10], 'weight', 'dense3', 'dense', 84, 10],
        ['dense3/bias', [10], 'bias', 'dense3', 'vector', 10, 10],
      ]);
      expect(net.layers).toEqual(['conv1', 'conv2', 'dense1', 'dense2', 'dense3']);
      expect(paramCount(net.params)).toBe(61706);
      disposeParams(net.params);
    });

    it('resMlp with Fixup (multipliers) and with batch norm', () => {
      const fix = resMlp({ inputDim: 3, outputDim: 2, width: 5, depth: 2 });
      const dense = (layer: string, i: number, o: number, bias = true): Row[] => [
        [`${layer}/kernel`, [i, o], 'weight', layer, 'dense', i, o],
        ...(bias ? ([[`${layer}/bias`, [o], 'bias', layer, 'vector', o, o]] as Row[]) : []),
      ];
      expectTable(fix, [
        ...dense('stem', 3, 5),
        ...dense('block1/dense1', 5, 5),
        ...dense('block1/dense2', 5, 5),
        ['block1/multiplier', [], 'scale', 'block1', 'vector', 1, 1],
        ...dense('block2/dense1', 5, 5),
        ...dense('block2/dense2', 5, 5),
        ['block2/multiplier', [], 'scale', 'block2', 'vector', 1, 1],
        ...dense('head', 5, 2),
      ]);
      expect(fix.branches).toEqual([
        ['block1/dense1', 'block1/dense2'],
        ['block2/dense1', 'block2/dense2'],
      ]);
      expect(fix.layers).toEqual([
        'stem',
        'block1/dense1',
        'block1/dense2',
        'block2/dense1',
        'block2/dense2',
        'head',
      ]);
      const bn = resMlp({ inputDim: 3, outputDim: 2, width: 5, depth: 1, norm: 'batch' });
      const norm = (name: string): Row[] =>
        (['gamma', 'beta', 'moving_mean', 'moving_variance'] as const).map(
          (p) =>
            [
              `${name}/${p}`,
              [5],
              (
                {
                  gamma: 'scale',
                  beta: 'shift',
                  moving_mean: 'stat',
                  moving_variance: 'stat',
                } as const
              )[p],
              name,
              'vector',
              5,
              5,
            ] as Row,
        );
      expectTable(bn, [
        ...dense('stem', 3, 5, false),
        ...norm('stem_bn'),
        ...dense('block1/dense1', 5, 5, false),
        ...norm('block1/dense1_bn'),
        ...dense('block1/dense2', 5, 5, false),
        ...norm('block1/dense2_bn'),
        ...dense('head', 5, 2),
      ]);
      disposeParams(fix.params);
      disposeParams(bn.params);
    });

    it('wideMlp: depth + 1 dense layers, with and without biases', () => {
      const net = wideMlp({ inputDim: 3, width: 16, depth: 2 });
      expectTable(net, [
        ['dense1/kernel', [3, 16], 'weight', 'dense1', 'dense', 3, 16],
        ['dense1/bias', [16], 'bias', 'dense1', 'vector', 16, 16],
        ['dense2/kernel', [16, 16], 'weight', 'dense2', 'dense', 16, 16],
        ['dense2/bias', [16], 'bias', 'dense2', 'vector', 16, 16],
        ['dense3/kernel', [16, 1], 'weight', 'dense3', 'dense', 16, 1],
        ['dense3/bias', [1], 'bias', 'dense3', 'vector', 1, 1],
      ]);
      const noBias = wideMlp({ inputDim: 3, outputDim: 2, width: 16, depth: 1, biasStd: null });
      expectTable(noBias, [
        ['dense1/kernel', [3, 16], 'weight', 'dense1', 'dense', 3, 16],
        ['dense2/kernel', [16, 2], 'weight', 'dense2', 'dense', 16, 2],
      ]);
      disposeParams(net.params);
      disposeParams(noBias.params);
    });
  },
  { backends: ['cpu'] },
);
