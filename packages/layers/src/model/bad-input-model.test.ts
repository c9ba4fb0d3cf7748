/**
 * Bad input to fromLayersModel (and the apply of what it returns) and lotteryTicket: each is
 * refused with a DescentError of a known code whose message names the argument, before any layer
 * runs, leaking no tensor and changing no weight.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { ParamInfo, Params } from '@descent/core';
import { expectBadInput, forEachBackend } from '@descent/core/testing';
import { it } from 'vitest';
import { fromLayersModel } from './from-layers-model';

function tinyNet(): tfl.Sequential {
  return tfl.sequential({
    layers: [
      tfl.layers.dense({ units: 3, inputShape: [2], activation: 'relu' }),
      tfl.layers.dense({ units: 1 }),
    ],
  });
}

forEachBackend('bad input: fromLayersModel', () => {
  it('refuses what is not a layers model, and models with several inputs or outputs', async () => {
    await expectBadInput(() => fromLayersModel({} as tfl.LayersModel), {
      code: 'BAD_ARGUMENT',
      mentions: ['fromLayersModel: model must be a tf.LayersModel'],
    });
    const a = tfl.input({ shape: [2] });
    const b = tfl.input({ shape: [3] });
    const joined = tfl.layers.concatenate().apply([a, b]) as tfl.SymbolicTensor;
    const twoInputs = tfl.model({
      inputs: [a, b],
      outputs: tfl.layers.dense({ units: 1 }).apply(joined) as tfl.SymbolicTensor,
    });
    await expectBadInput(() => fromLayersModel(twoInputs), {
      code: 'BAD_ARGUMENT',
      mentions: ['2 inputs and 1 outputs', 'one input and one output'],
      unchanged: twoInputs.getWeights(),
    });
    const c = tfl.input({ shape: [2] });
    const twoOutputs = tfl.model({
      inputs: c,
      outputs: [
        tfl.layers.dense({ units: 1 }).apply(c) as tfl.SymbolicTensor,
        tfl.layers.dense({ units: 2 }).apply(c) as tfl.SymbolicTensor,
      ],
    });
    await expectBadInput(() => fromLayersModel(twoOutputs), {
      code: 'BAD_ARGUMENT',
      mentions: ['1 inputs and 2 outputs'],
    });
    twoInputs.dispose();
    twoOutputs.dispose();
  });

  it('refuses weights of a rank no layout fits, unless options.info places them', async () => {
    const net = tfl.sequential({
      layers: [
        tfl.layers.conv1d({ filters: 2, kernelSize: 3, inputShape: [6, 1] }),
        tfl.layers.flatten(),
      ],
    });
    const kernel = net.weights[0]?.name as string;
    await expectBadInput(() => fromLayersModel(net), {
      code: 'SHAPE_MISMATCH',
      mentions: [JSON.stringify(kernel), 'Conv1D', '[3, 1, 2]', 'options.info'],
    });
    const info: ParamInfo = {
      role: 'weight',
      layer: 'conv',
      layout: 'vector',
      fanIn: 3,
      fanOut: 3,
    };
    await expectBadInput(() => fromLayersModel(net, { info: { [kernel]: info } }), {
      code: 'SHAPE_MISMATCH',
      mentions: [`fromLayersModel.params[${JSON.stringify(kernel)}]`, '[3, 1, 2]'],
    });
    net.dispose();
  });

  it('refuses bad options: unknown keys, info not an object, malformed entries, unknown names', async () => {
    const net = tinyNet();
    await expectBadInput(() => fromLayersModel(net, { infos: {} } as never), {
      code: 'UNKNOWN_PARAM',
      mentions: ['infos'],
    });
    await expectBadInput(() => fromLayersModel(net, { info: 3 } as never), {
      code: 'BAD_ARGUMENT',
      mentions: ['fromLayersModel.info', 'number 3'],
    });
    await expectBadInput(() => fromLayersModel(net, { info: { x: { role: 'kernel' } } } as never), {
      code: 'BAD_ARGUMENT',
      mentions: ['fromLayersModel.info["x"].role'],
    });
    const info: ParamInfo = { role: 'weight', layer: '', layout: 'dense', fanIn: 2, fanOut: 3 };
    await expectBadInput(() => fromLayersModel(net, { info: { 'nope/kernel': info } }), {
      code: 'UNKNOWN_PARAM',
      mentions: ['"nope/kernel"', net.weights[0]?.name as string],
    });
    net.dispose();
  });

  it('refuses a disposed model', async () => {
    const net = tinyNet();
    net.dispose();
    await expectBadInput(() => fromLayersModel(net), { code: 'DISPOSED', mentions: ['/kernel'] });
  });
});

forEachBackend('bad input: fromLayersModel(…).apply', () => {
  it('refuses missing, extra, misshaped, disposed or int params before any layer runs', async () => {
    const net = tinyNet();
    const model = fromLayersModel(net);
    const [k1, b1] = Object.keys(model.params) as [string, string];
    const x = tf.ones([4, 2]);
    const { [b1]: _dropped, ...missing } = model.params;
    const cases: [Params, string, string[]][] = [
      [missing, 'UNKNOWN_PARAM', [`missing ${JSON.stringify(b1)}`]],
      [{ ...model.params, extra: tf.zeros([1]) }, 'UNKNOWN_PARAM', ['extra "extra"']],
      [{ ...model.params, [k1]: tf.zeros([3, 2]) }, 'SHAPE_MISMATCH', [k1, '[3, 2]', '[2, 3]']],
      [{ ...model.params, [k1]: tf.zeros([2, 3], 'int32') }, 'DTYPE_MISMATCH', [k1]],
    ];
    for (const [params, code, mentions] of cases) {
      await expectBadInput(() => model.apply(params, x), {
        code: code as 'UNKNOWN_PARAM',
        mentions,
        unchanged: [net.getWeights(), params],
      });
    }
    const disposed = tf.zeros([2, 3]);
    disposed.dispose();
    await expectBadInput(() => model.apply({ ...model.params, [k1]: disposed }, x), {
      code: 'DISPOSED',
      mentions: [k1],
    });
    tf.dispose([
      x,
      cases[1]?.[0].extra as tf.Tensor,
      cases[2]?.[0][k1] as tf.Tensor,
      cases[3]?.[0][k1] as tf.Tensor,
    ]);
    net.dispose();
  });

  it('refuses an x that is no tensor or does not fit the input, and bad options', async () => {
    const net = tinyNet();
    const model = fromLayersModel(net);
    await expectBadInput(() => model.apply(model.params, [[1, 2]] as never), {
      code: 'BAD_ARGUMENT',
      mentions: ['apply: x must be a tf.Tensor'],
    });
    const wide = tf.ones([4, 3]);
    await expectBadInput(() => model.apply(model.params, wide), {
      code: 'SHAPE_MISMATCH',
      mentions: ['x has shape [4, 3]', '[N, 2]'],
      unchanged: net.getWeights(),
    });
    const flat = tf.ones([2]);
    await expectBadInput(() => model.apply(model.params, flat), {
      code: 'SHAPE_MISMATCH',
      mentions: ['[2]', '[N, 2]'],
    });
    const x = tf.ones([4, 2]);
    await expectBadInput(() => model.apply(model.params, x, { training: 1 } as never), {
      code: 'BAD_ARGUMENT',
      mentions: ['options.training must be a boolean'],
    });
    await expectBadInput(() => model.apply(model.params, x, { tap: 'z' } as never), {
      code: 'BAD_ARGUMENT',
      mentions: ['options.tap must be a function'],
    });
    await expectBadInput(() => model.apply(model.params, x, 5 as never), {
      code: 'BAD_ARGUMENT',
      mentions: ['options must be an object'],
    });
    tf.dispose([wide, flat, x]);
    net.dispose();
  });
});
