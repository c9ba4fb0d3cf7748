await core.useBackend('wasm');
const x = tf.tensor2d([1, 2, 3, 4, 10, 20, 30, 40], [2, 4]);
const y = pkg.layerNorm(x, { gamma: tf.ones([4]), beta: tf.zeros([4]) }, { epsilon: 1e-6 });
const row = Array.from(await y.data()).slice(0, 4);
const expected = [-3, -1, 1, 3].map((d) => d / Math.sqrt(5));
check(
  row.every((v, i) => Math.abs(v - (expected[i] ?? 0)) < 1e-4),
  `layerNorm gave ${row}`,
);
report(`layerNorm of [1, 2, 3, 4] = ${row.map((v) => v.toFixed(4)).join(', ')}`);
