await core.useBackend('wasm');
const { kernelFn } = pkg.serial(
  pkg.dense({ weightStd: 1, biasStd: 0 }),
  pkg.relu(),
  pkg.dense({ weightStd: 1, biasStd: 0 }),
);
const x = tf.tensor2d([1, 0, 0, 1], [2, 2]);
const { nngp } = kernelFn(x);
const k = Array.from(await nngp.data());
// Arc-cosine kernel of orthogonal unit inputs (input covariance xᵀx'/d = 1/2 on the diagonal).
const expected = [0.25, 1 / (4 * Math.PI), 1 / (4 * Math.PI), 0.25];
check(
  k.every((v, i) => Math.abs(v - (expected[i] ?? 0)) < 1e-5),
  `relu NNGP ${k}`,
);
report(`relu NNGP of orthogonal inputs: ${k.map((v) => v.toFixed(5)).join(', ')}`);
