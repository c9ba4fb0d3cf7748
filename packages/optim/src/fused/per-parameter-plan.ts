import type * as tf from '@tensorflow/tfjs-core';
import type { OptimizerKernel } from './optimizer-kernel';
import type { SlotValue } from '../transform/transform-state';
import type { ChainLayout } from '../transform/named-chain';

/** The slots one variable had after its previous step (undefined before its first). */
export type PreviousSlots = Readonly<Record<string, SlotValue>> | undefined;

/** What one variable's kernel call needs besides its buffers. */
export interface VariablePlan {
  /** The rule's hyperparameters for this variable at this step. */
  uniforms: Record<string, number>;
  /** Number slots to store (e.g. its `step`), as the chain stores them. */
  numbers?: Record<string, number>;
}

/** How an optimizer's chain maps onto one fused kernel per variable. */
export interface FusedPerParameterOptions<C> {
  /** The kernel of every variable. */
  kernel: OptimizerKernel;
  /** Where each element of the optimizer's named chain keeps its state. */
  layout: ChainLayout;
  /** The name of the per-parameter transformation in the chain (where its slots live). */
  slotsAt: string;
  /** Chain elements whose state a step leaves as it is (stateless pass-throughs). */
  stateless?: readonly string[];
  /** Initial value of each tensor slot; 0 where absent. */
  initial?: Readonly<Record<string, number>>;
  /** The step's hyperparameters, from each chain element's update count; throws on bad values. */
  constants(count: (element: string) => number): C;
  /** The uniforms (and number slots) of one variable. */
  plan(key: string, p: tf.Variable, previous: PreviousSlots, constants: C): VariablePlan;
}
