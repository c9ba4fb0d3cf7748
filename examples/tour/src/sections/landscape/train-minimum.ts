import { type Params, disposeParams, toVariables } from '@descent/core';
import { fit } from '@descent/data';
import type { Net } from '@descent/nets';
import { sgd } from '@descent/optim';
import type { Digits } from './digits';
import { lossAndAccuracy } from './metrics';

/** Numbers the trained copies, so that their variables get unique names. */
let trained = 0;

/** How one minimum is trained: SGD with momentum on mean cross-entropy over shuffled batches. */
export interface MinimumRecipe {
  batchSize: number;
  learningRate: number;
  momentum: number;
  /** Epochs, or the most epochs when `targetLoss` is given. */
  epochs: number;
  /** Stop after the first epoch whose landscape loss is at or below this. */
  targetLoss?: number;
  /** Seeds the batch order of every epoch. */
  seed: number;
  /** Called after every step. */
  onStep: () => void;
}

/** A trained minimum: its parameters (the caller disposes them) and how it fares. */
export interface Minimum {
  params: Params;
  epochs: number;
  batchSize: number;
  loss: number;
  testAccuracy: number;
}

/**
 * Trains a copy of `net.params` with `fit`, one epoch per call so that training can stop at
 * `targetLoss`; the optimizer (and its momentum) carries over from epoch to epoch.
 */
export async function trainMinimum(
  net: Net,
  digits: Digits,
  recipe: MinimumRecipe,
): Promise<Minimum> {
  const variables = toVariables(net.params, { prefix: `tour/landscape/${++trained}/` });
  const model = { ...net, params: variables };
  const optimizer = sgd({ learningRate: recipe.learningRate, momentum: recipe.momentum });
  try {
    for (let epochs = 1; ; epochs++) {
      // biome-ignore lint/suspicious/noFocusedTests: @descent/data's training loop, not Jasmine's focused test
      await fit(model, optimizer, digits.train, {
        batchSize: recipe.batchSize,
        seed: `${recipe.seed}/${epochs}`,
        progress: false,
        onBatch: recipe.onStep,
      });
      const last = epochs >= recipe.epochs;
      if (recipe.targetLoss === undefined && !last) continue;
      const measured = await lossAndAccuracy(net, digits, variables);
      if (last || measured.loss <= (recipe.targetLoss as number)) {
        return { params: variables, epochs, batchSize: recipe.batchSize, ...measured };
      }
    }
  } catch (error) {
    disposeParams(variables);
    throw error;
  } finally {
    optimizer.dispose();
  }
}
