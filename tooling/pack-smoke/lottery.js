await core.useBackend('wasm');
const params = {
  'dense/kernel': tf.tensor2d([1, -5, 2, -0.5, 4, 3], [2, 3]),
  'dense/bias': tf.zeros([3]),
};
/** @type {Record<string, import('@descent/core').ParamInfo>} */
const info = {
  'dense/kernel': { role: 'weight', layer: 'dense', layout: 'dense', fanIn: 2, fanOut: 3 },
  'dense/bias': { role: 'bias', layer: 'dense', layout: 'vector', fanIn: 2, fanOut: 3 },
};
const masks = await pkg.prune(pkg.magnitudeScores(params), { info, rate: 0.5 });
const mask = Array.from(await (masks['dense/kernel'] ?? tf.zeros([0])).data());
check(mask.join() === '0,1,0,0,1,1', `magnitude pruning at rate 0.5 kept ${mask}`);
check(!('dense/bias' in masks), 'biases must not be pruned');
report('prune(magnitudeScores) at rate 0.5 removed the 3 smallest weights, not the bias');
