import { describe, expect, it } from 'vitest';
import { type TourReporter, runTour } from './run-tour';
import type { Section, SectionContext, SectionId, SectionResult } from './section';

/** A section that takes `ms` on the fake clock, records its context, and reports progress. */
function fakeSection(
  id: SectionId,
  ms: number,
  clock: { t: number },
  seen: SectionContext[],
): Section {
  return {
    id,
    title: `Title of ${id}`,
    expectedSeconds: (quick) => (quick ? 1 : 2),
    async run(context) {
      seen.push(context);
      context.progress(1, 2, 'half');
      clock.t += ms;
      return {
        id,
        title: `Title of ${id}`,
        claim: 'c',
        paper: 'p',
        setup: 's',
        reproduced: id === 'ntk',
        evidence: 'e',
        numbers: { x: ms },
        figures: [],
      } satisfies SectionResult;
    },
  };
}

describe('runTour', () => {
  it('runs the sections in order, timing each, passing the settings', async () => {
    const clock = { t: 1000 };
    const seen: SectionContext[] = [];
    const events: string[] = [];
    const reporter: TourReporter = {
      start: (s, i, n) => events.push(`start ${s.id} ${i}/${n}`),
      progress: (done, total, phase) => events.push(`${done}/${total} ${phase}`),
      end: (s, r) => events.push(`end ${s.id} ${r.seconds}`),
    };
    const run = await runTour({
      sections: [fakeSection('ntk', 2500, clock, seen), fakeSection('lottery', 500, clock, seen)],
      seed: 7,
      quick: true,
      backend: 'wasm',
      reporter,
      clock: () => clock.t,
      now: () => new Date('2026-01-02T03:04:05Z'),
    });
    expect(run).toMatchObject({
      seed: 7,
      backend: 'wasm',
      quick: true,
      startedAt: '2026-01-02T03:04:05.000Z',
      seconds: 3,
    });
    expect(run).not.toHaveProperty('adapter');
    expect(run.results.map((r) => [r.id, r.seconds, r.reproduced])).toEqual([
      ['ntk', 2.5, true],
      ['lottery', 0.5, false],
    ]);
    expect(seen.map((c) => [c.seed, c.quick, c.backend])).toEqual([
      [7, true, 'wasm'],
      [7, true, 'wasm'],
    ]);
    expect(events).toEqual([
      'start ntk 0/2',
      '1/2 half',
      'end ntk 2.5',
      'start lottery 1/2',
      '1/2 half',
      'end lottery 0.5',
    ]);
  });

  it('records the adapter, and a crash ends the tour', async () => {
    const clock = { t: 0 };
    const crash: Section = {
      ...fakeSection('lottery', 1, clock, []),
      run: async () => {
        throw new Error('out of memory');
      },
    };
    const ok = await runTour({
      sections: [],
      seed: 1,
      quick: false,
      backend: 'webgpu',
      adapter: 'x y',
    });
    expect(ok.adapter).toBe('x y');
    expect(ok.results).toEqual([]);
    await expect(
      runTour({ sections: [crash], seed: 1, quick: false, backend: 'cpu' }),
    ).rejects.toThrow('out of memory');
    const liar = { ...fakeSection('ntk', 1, clock, []), id: 'landscape' as const };
    await expect(
      runTour({ sections: [liar], seed: 1, quick: false, backend: 'cpu' }),
    ).rejects.toThrow('section landscape returned the result of "ntk"');
  });
});
