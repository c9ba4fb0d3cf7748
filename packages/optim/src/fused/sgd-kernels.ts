import * as tf from '@tensorflow/tfjs-core';
import { defineKernel } from '@descent/core';

/**
 * One SGD step with momentum (torch.optim.SGD) on one variable, in place:
 *
 * ```
 * g' = g + l2·p
 * b' = keep·b + scale·g'        (first step: keep = 0, scale = 1, i.e. b' = g'; then keep = μ, scale = 1 − d)
 * p' = p − lr·(nesterov ? g' + μ·b' : b')
 * ```
 */
export const sgdMomentumKernel = defineKernel({
  name: 'descent.sgdMomentumStep',
  inouts: ['p', 'buf'],
  inputs: ['g'],
  uniforms: ['lr', 'mu', 'keep', 'scale', 'l2', 'nesterov'],
  update: (r, o) => {
    const g = o.add(r.g, o.mul(r.p, r.l2));
    const buf = o.add(o.mul(r.buf, r.keep), o.mul(g, r.scale));
    const direction = o.select(o.gt(r.nesterov, 0.5), o.add(g, o.mul(buf, r.mu)), buf);
    return { p: o.sub(r.p, o.mul(direction, r.lr)), buf };
  },
  reference: ({ p, buf }, { g }, u) => {
    const gg = tf.add(g, tf.mul(p, u.l2));
    const next = tf.add(tf.mul(buf, u.keep), tf.mul(gg, u.scale));
    const direction = u.nesterov > 0.5 ? tf.add(gg, tf.mul(next, u.mu)) : next;
    return { p: tf.sub(p, tf.mul(direction, u.lr)), buf: next };
  },
});

/** One plain SGD step in place: `p' = p − lr·(g + l2·p)`. */
export const sgdKernel = defineKernel({
  name: 'descent.sgdStep',
  inouts: ['p'],
  inputs: ['g'],
  uniforms: ['lr', 'l2'],
  update: (r, o) => ({ p: o.sub(r.p, o.mul(o.add(r.g, o.mul(r.p, r.l2)), r.lr)) }),
  reference: ({ p }, { g }, u) => ({ p: tf.sub(p, tf.mul(tf.add(g, tf.mul(p, u.l2)), u.lr)) }),
});
