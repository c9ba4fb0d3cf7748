import { describe, expect, it } from 'vitest';
import type { SectionContext } from '../../section';
import { progressCounter } from './progress-counter';

function recorder() {
  const calls: [number, number, string][] = [];
  const context: SectionContext = {
    seed: 1,
    quick: true,
    backend: 'cpu',
    progress: (done, total, phase) => calls.push([done, total, phase]),
  };
  return { calls, context };
}

describe('progressCounter', () => {
  it('reports every few units, at each new phase and at the end', () => {
    const { calls, context } = recorder();
    const counter = progressCounter(context, 7, 3);
    for (let i = 0; i < 4; i++) counter.tick('one');
    for (let i = 0; i < 3; i++) counter.tick('two');
    expect(calls).toEqual([
      [1, 7, 'one'],
      [3, 7, 'one'],
      [5, 7, 'two'],
      [6, 7, 'two'],
      [7, 7, 'two'],
    ]);
    expect(counter.done).toBe(7);
  });

  it('jumps to the end of a phase that finished early, never backwards, never past the total', () => {
    const { calls, context } = recorder();
    const counter = progressCounter(context, 10);
    counter.reach(6, 'early');
    counter.reach(4, 'early');
    counter.reach(12, 'late');
    expect(calls).toEqual([
      [6, 10, 'early'],
      [6, 10, 'early'],
      [10, 10, 'late'],
    ]);
  });
});
