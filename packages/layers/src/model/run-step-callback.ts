import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { TrainingRun } from '@descent/lottery';

/**
 * After every batch of `model.fit`, copies the layers model's weights into the run's variables
 * and counts the step with `await run.step()`, so that imp's rewind capture and evaluations see
 * the weights the model has just reached. Internal to {@link lotteryTicket}; goes after the
 * `PruningCallback` in the callback list, so the copied weights are already masked.
 */
export class RunStepCallback extends tfl.Callback {
  constructor(private readonly run: TrainingRun) {
    super();
  }

  override async onBatchEnd(): Promise<void> {
    copyWeightsToRun(this.model, this.run);
    await this.run.step();
  }
}

/** `run.params[name] ← weight` for every weight of `model` (keys are the weights' names). */
export function copyWeightsToRun(model: tfl.LayersModel, run: TrainingRun): void {
  tf.tidy(() => {
    for (const weight of model.weights) run.params[weight.name]?.assign(weight.read());
  });
}

/** `weight ← params[weight.name]` for every weight of `model`. */
export function copyParamsToModel(model: tfl.LayersModel, params: Record<string, tf.Tensor>): void {
  for (const weight of model.weights) {
    const value = params[weight.name];
    if (value !== undefined) weight.write(value);
  }
}
