import * as tf from '@tensorflow/tfjs-core';
import { useBackend } from '@descent/core';
import type { Section, SectionResult } from '../section';

/** What {@link runQuick} observed of one section's quick run. */
export interface QuickRun {
  result: SectionResult;
  /** Tensors alive after the run minus those before: 0 for a section that frees everything. */
  leaked: number;
  /** Every progress report, in order: `[done, total, phase]`. */
  progress: Array<[number, number, string]>;
}

/** Runs `section` in quick mode on wasm with `seed`, recording its progress and leaked tensors. */
export async function runQuick(section: Section, seed = 1): Promise<QuickRun> {
  await useBackend('wasm');
  const progress: Array<[number, number, string]> = [];
  const before = tf.memory().numTensors;
  const result = await section.run({
    seed,
    quick: true,
    backend: 'wasm',
    progress: (done, total, phase) => progress.push([done, total, phase]),
  });
  return { result, leaked: tf.memory().numTensors - before, progress };
}
