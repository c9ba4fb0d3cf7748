/**
 * Bad input to fromLayersModel (and the apply of what it returns) and lotteryTicket: each is
 * refused with a DescentError of a known code whose message names the argument, before any layer
 * runs, leaking no tensor and changing no weight.
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { DescentErrorCode, ParamInfo, Params } from '@descent/core';
import { expectBadInput, forEachBackend } from '@descent/core/testing';
import { expect, it, vi } from 'vitest';
import { fromLayersModel } from './from-layers-model';
import { lotteryTicket } from './lottery-ticket';

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

forEachBackend('bad input: lotteryTicket', () => {
  const x = () => tf.ones([8, 2]);
  const y = () => tf.ones([8, 1]);

  function compiledNet(): tfl.Sequential {
    const net = tinyNet();
    net.compile({ optimizer: tf.train.sgd(0.1), loss: 'meanSquaredError' });
    return net;
  }

  it('refuses bad options before any training, leaving the weights as they were', async () => {
    const net = compiledNet();
    const [xs, ys] = [x(), y()];
    const train = vi.fn(async () => undefined);
    const evaluate = vi.fn(() => ({ loss: 0, accuracy: 1 }));
    const good = { model: net, train, evaluate, rounds: 1 };
    const cases: [Record<string, unknown>, DescentErrorCode, string[]][] = [
      [{ ...good, model: 'net' }, 'BAD_ARGUMENT', ['model must be a tf.LayersModel']],
      [{ ...good, train: 3 }, 'BAD_ARGUMENT', ['lotteryTicket.train must be fit arguments']],
      [
        { ...good, train: { x: [1], y: ys } },
        'BAD_ARGUMENT',
        ['lotteryTicket.train.x must be a tf.Tensor'],
      ],
      [{ ...good, train: { x: xs, y: null } }, 'BAD_ARGUMENT', ['lotteryTicket.train.y']],
      [
        { ...good, train: { x: xs, y: ys, callbacks: [] } },
        'BAD_ARGUMENT',
        ['lotteryTicket.train.callbacks'],
      ],
      [
        { ...good, evaluate: undefined },
        'BAD_ARGUMENT',
        ['lotteryTicket.evaluate must be a function'],
      ],
      [{ ...good, compile: 'adam' }, 'BAD_ARGUMENT', ['lotteryTicket.compile must be a function']],
      [{ ...good, epochs: 3 }, 'UNKNOWN_PARAM', ['epochs']],
      [{ ...good, rounds: -1 }, 'BAD_HYPERPARAM', ['imp.rounds']],
      [{ ...good, rate: 2 }, 'BAD_HYPERPARAM', ['imp.rate']],
      [
        { ...good, info: { 'nope/kernel': {} } },
        'BAD_ARGUMENT',
        ['fromLayersModel.info["nope/kernel"]'],
      ],
    ];
    for (const [options, code, mentions] of cases) {
      await expectBadInput(() => lotteryTicket(options as never), {
        code,
        mentions,
        unchanged: net.getWeights(),
      });
    }
    expect(train).not.toHaveBeenCalled();
    expect(evaluate).not.toHaveBeenCalled();
    tf.dispose([xs, ys]);
    net.optimizer.dispose();
    net.dispose();
  });

  it('refuses a model that is not compiled when no compile is given', async () => {
    const net = tinyNet();
    await expectBadInput(
      () =>
        lotteryTicket({
          model: net,
          train: async () => undefined,
          evaluate: () => ({ loss: 0, accuracy: 1 }),
          rounds: 1,
        }),
      {
        code: 'BAD_ARGUMENT',
        mentions: ['options.model is not compiled', 'options.compile'],
        unchanged: net.getWeights(),
      },
    );
    net.dispose();
  });

  it('restores the weights when training fails: too few batches for rewindTo, a bad evaluation', async () => {
    const net = compiledNet();
    const [xs, ys] = [x(), y()];
    const train = { x: xs, y: ys, epochs: 1, batchSize: 4 };
    await expectBadInput(
      () =>
        lotteryTicket({
          model: net,
          train,
          evaluate: () => ({ loss: 0, accuracy: 1 }),
          rounds: 1,
          rewindTo: 5,
        }),
      {
        code: 'BAD_HYPERPARAM',
        mentions: ['imp.rewindTo is 5', 'only 2 steps'],
        unchanged: net.getWeights(),
      },
    );
    await expectBadInput(
      () => lotteryTicket({ model: net, train, evaluate: () => ({ loss: 0 }) as never, rounds: 1 }),
      {
        code: 'BAD_ARGUMENT',
        mentions: ['imp.evaluate must return { loss: number, accuracy'],
        unchanged: net.getWeights(),
      },
    );
    tf.dispose([xs, ys]);
    net.optimizer.dispose();
    net.dispose();
  });
});
