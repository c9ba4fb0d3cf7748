await core.useBackend('wasm');
const w = tf.variable(tf.tensor1d([3, -2]));
const optimizer = pkg.adamw({ learningRate: 0.1, weightDecay: 0.01 });
for (let i = 0; i < 100; i++)
  optimizer.minimize(() => /** @type {tf.Scalar} */ (tf.sum(tf.square(w))));
const [a, b] = Array.from(await w.data());
check(Math.hypot(a ?? 9, b ?? 9) < 0.2, `adamw did not minimize |w|²: ${a}, ${b}`);
report(`adamw minimized |w|² from (3, -2) to (${a?.toFixed(3)}, ${b?.toFixed(3)})`);
