import * as tf from '@tensorflow/tfjs-core';
import { defineKernel, type ValueExpr, type Ops } from '@descent/core';

type AdamRefs = Record<'p' | 'm' | 'v' | 'g' | AdamUniform, ValueExpr>;

/** Hyperparameters of one fused Adam step, evaluated in JavaScript for each variable. */
export type AdamUniform =
  | 'lr'
  | 'b1'
  | 'omb1'
  | 'b2'
  | 'omb2'
  | 'eps'
  | 'bc1'
  | 'bc2'
  | 'l2'
  | 'decay';

/**
 * The moments and the step direction, shared by the plain and the AMSGrad kernel:
 * `g' = g + l2·p`, `m' = b1·m + (1 − b1)·g'`, `v' = b2·v + (1 − b2)·g'²`.
 */
function moments(r: AdamRefs, o: Ops) {
  const g = o.add(r.g, o.mul(r.p, r.l2));
  const m = o.add(o.mul(r.m, r.b1), o.mul(g, r.omb1));
  const v = o.add(o.mul(r.v, r.b2), o.mul(o.mul(g, g), r.omb2));
  return { m, v };
}

/** `p' = p − lr·(m̂/(√v̂ + ε) + decay·p)` with `m̂ = m'/bc1`, `v̂ = den/bc2`. */
function step(r: AdamRefs, o: Ops, m: ValueExpr, den: ValueExpr): ValueExpr {
  const direction = o.div(o.div(m, r.bc1), o.add(o.sqrt(o.div(den, r.bc2)), r.eps));
  return o.sub(r.p, o.mul(o.add(direction, o.mul(r.p, r.decay)), r.lr));
}

const UNIFORMS: AdamUniform[] = [
  'lr',
  'b1',
  'omb1',
  'b2',
  'omb2',
  'eps',
  'bc1',
  'bc2',
  'l2',
  'decay',
];

/** tfjs-ops reference of the same step (what the parity tests hold the kernels to). */
function referenceMoments(
  p: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  g0: tf.Tensor,
  u: Record<AdamUniform, number>,
) {
  const g = tf.add(g0, tf.mul(p, u.l2));
  return {
    g,
    m: tf.add(tf.mul(m, u.b1), tf.mul(g, u.omb1)),
    v: tf.add(tf.mul(v, u.b2), tf.mul(tf.square(g), u.omb2)),
  };
}

function referenceStep(p: tf.Tensor, m: tf.Tensor, den: tf.Tensor, u: Record<AdamUniform, number>) {
  const direction = tf.div(tf.div(m, u.bc1), tf.add(tf.sqrt(tf.div(den, u.bc2)), u.eps));
  return tf.sub(p, tf.mul(tf.add(direction, tf.mul(p, u.decay)), u.lr));
}

/** One Adam / AdamW step (torch.optim's algorithm) on one variable, in place. */
export const adamKernel = defineKernel({
  name: 'descent.adamStep',
  inouts: ['p', 'm', 'v'],
  inputs: ['g'],
  uniforms: UNIFORMS,
  update: (r, o) => {
    const { m, v } = moments(r, o);
    return { p: step(r, o, m, v), m, v };
  },
  reference: ({ p, m, v }, { g }, u) => {
    const next = referenceMoments(p, m, v, g, u);
    return { p: referenceStep(p, next.m, next.v, u), m: next.m, v: next.v };
  },
});

/** One AMSGrad step: as {@link adamKernel}, dividing by the running maximum `vmax` of `v`. */
export const amsgradKernel = defineKernel({
  name: 'descent.amsgradStep',
  inouts: ['p', 'm', 'v', 'vmax'],
  inputs: ['g'],
  uniforms: UNIFORMS,
  update: (r, o) => {
    const { m, v } = moments(r, o);
    const vmax = o.max(r.vmax, v);
    return { p: step(r, o, m, vmax), m, v, vmax };
  },
  reference: ({ p, m, v, vmax }, { g }, u) => {
    const next = referenceMoments(p, m, v, g, u);
    const max = tf.maximum(vmax, next.v);
    return { p: referenceStep(p, next.m, max, u), m: next.m, v: next.v, vmax: max };
  },
});
