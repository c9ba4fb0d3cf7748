/** @type {string[]} */
const fallbacks = [];
const info = await core.useBackend(undefined, { onFallback: (f) => fallbacks.push(f.name) });
check(info.name === 'wasm', `expected wasm, got ${info.name}`);
check(
  fallbacks.join() === 'webgpu',
  `expected the webgpu fallback to be announced, got ${fallbacks}`,
);
const dx = await tf
  .grad((v) => tf.sum(tf.mul(v, v)))(tf.tensor([1, 2, 3]))
  .data();
check(Array.from(dx).join() === '2,4,6', `tf.grad gave ${Array.from(dx)}`);
const p = tf.variable(tf.tensor([1, 2, 3, 4, 5]));
const path = core.scaledSubtract(p, tf.ones([5]), 0.5);
const values = Array.from(await p.data()).join();
check(
  path === 'wasm-simd' && values === '0.5,1.5,2.5,3.5,4.5',
  `scaledSubtract: ${path} ${values}`,
);
report(`useBackend → ${info.name} (simd ${info.simd}), tf.grad and an in-place scaledSubtract`);
