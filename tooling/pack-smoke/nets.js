await core.useBackend('wasm');
const net = pkg.mlp({ sizes: [3, 8, 2], seed: 0 });
const y = net.apply(net.params, tf.ones([5, 3]));
check(y.shape.join() === '5,2', `mlp output shape ${y.shape}`);
check(core.paramCount(net.params) === 3 * 8 + 8 + 8 * 2 + 2, 'mlp parameter count');
check(net.info['dense1/kernel']?.role === 'weight', 'ParamInfo of dense1/kernel');
report(`mlp 3-8-2: ${core.paramCount(net.params)} parameters, output [5, 2]`);
