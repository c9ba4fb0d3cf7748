import type { Params, Rng } from '@descent/core';
import { batches } from '@descent/data';
import {
  type Curve,
  type CurveEvaluation,
  evaluateCurve,
  linearPath,
  modeConnect,
} from '@descent/landscape';
import type { Net } from '@descent/nets';
import { sgd } from '@descent/optim';
import type { Digits } from './digits';
import { lossAndAccuracy } from './metrics';

/** The loss and test accuracy along one path between two minima. */
export interface PathMeasure {
  ts: number[];
  loss: number[];
  testAccuracy: number[];
  /** `max_t L(t) − (L(0) + L(1))/2`, Frankle et al.'s barrier. */
  barrier: number;
}

/** How the Bezier curve is trained: its middle point by SGD with momentum, one `t` per batch. */
export interface CurveRecipe {
  batchSize: number;
  learningRate: number;
  momentum: number;
  epochs: number;
  /** Draws the batch order and the `t` of every step. */
  rng: Rng;
  onStep: () => void;
}

/** The straight line from `a` to `b` (`linearPath`), measured at `points` evenly spaced `t`. */
export async function measureLine(
  net: Net,
  digits: Digits,
  a: Params,
  b: Params,
  points: number,
  onPoint: () => void,
): Promise<PathMeasure> {
  const line = linearPath(a, b);
  try {
    return await measurePath(net, digits, line, points, onPoint);
  } finally {
    line.dispose();
  }
}

/**
 * A quadratic Bezier curve from `a` to `b` whose middle point (started at the midpoint) is
 * trained on the loss along the curve (`modeConnect`), measured at `points` evenly spaced `t`.
 */
export async function measureBezier(
  net: Net,
  digits: Digits,
  a: Params,
  b: Params,
  recipe: CurveRecipe,
  points: number,
  onPoint: () => void,
): Promise<PathMeasure> {
  const order = batches(digits.train, {
    batchSize: recipe.batchSize,
    shuffle: true,
    rng: recipe.rng.child('batches'),
  });
  const optimizer = sgd({ learningRate: recipe.learningRate, momentum: recipe.momentum });
  let curve: Curve | undefined;
  try {
    curve = await modeConnect({
      model: net,
      a,
      b,
      curve: 'bezier',
      bends: 3,
      batches: () => order,
      epochs: recipe.epochs,
      optimizer,
      rng: recipe.rng.child('t'),
      onStep: recipe.onStep,
    });
    return await measurePath(net, digits, curve, points, onPoint);
  } finally {
    curve?.dispose();
    optimizer.dispose();
  }
}

async function measurePath(
  net: Net,
  digits: Digits,
  curve: Curve,
  points: number,
  onPoint: () => void,
): Promise<PathMeasure> {
  const evaluation: CurveEvaluation = await evaluateCurve(
    curve,
    async (params) => {
      const measured = await lossAndAccuracy(net, digits, params);
      onPoint();
      return measured;
    },
    { points },
  );
  return {
    ts: evaluation.ts,
    loss: evaluation.values.loss as number[],
    testAccuracy: evaluation.values.testAccuracy as number[],
    barrier: evaluation.barrier as number,
  };
}
