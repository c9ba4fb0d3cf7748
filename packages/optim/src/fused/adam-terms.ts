import type { Ops, ValueExpr } from '@descent/core';
import type { RuleRefs } from './optimizer-kernel';

/** Uniforms of {@link adamMoments}: `β₁`, `1 − β₁`, `β₂`, `1 − β₂`. */
export const MOMENT_UNIFORMS = ['b1', 'omb1', 'b2', 'omb2'] as const;

/** Adam's moments of a gradient `g`: `m' = β₁m + (1 − β₁)g`, `v' = β₂v + (1 − β₂)g²`. */
export function adamMoments(r: RuleRefs, o: Ops, g: ValueExpr): { m: ValueExpr; v: ValueExpr } {
  return {
    m: o.add(o.mul(r.m!, r.b1!), o.mul(g, r.omb1!)),
    v: o.add(o.mul(r.v!, r.b2!), o.mul(o.mul(g, g), r.omb2!)),
  };
}

/** The moment uniforms for `β₁`, `β₂`. */
export function momentUniforms(b1: number, b2: number) {
  return { b1, omb1: 1 - b1, b2, omb2: 1 - b2 };
}
