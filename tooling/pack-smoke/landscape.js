await core.useBackend('wasm');
const a = tf.tensor1d([2, -1, 0.5]);
const w = tf.tensor1d([1, 1, 1]);
// L(w) = ½ Σ aᵢ wᵢ², so H = diag(a) and Hv = a ⊙ v.
const loss = (/** @type {import('@descent/core').Params} */ p) =>
  /** @type {tf.Scalar} */ (tf.mul(0.5, tf.sum(tf.mul(a, tf.square(p.w ?? w)))));
const hv = pkg.hvp(loss, { w }, { w: tf.tensor1d([1, 2, 3]) });
const values = Array.from(await (hv.w ?? w).data());
check(values.join() === '2,-2,1.5', `hvp gave ${values}`);
report(`hvp of a diagonal quadratic = ${values.join(', ')}`);
