import type { RoundReport, RunReport } from '@descent/lottery';
import { describe, expect, it } from 'vitest';
import { lotteryCurves, lotteryVerdict } from './curves';

const run = (kind: RunReport['kind'], round: number, earlyStop: number): RunReport => {
  const record = { step: 10, loss: 0.3, accuracy: earlyStop };
  return {
    kind,
    round,
    density: 1,
    startStep: 0,
    endStep: 10,
    final: { ...record, accuracy: earlyStop - 0.01 },
    earlyStop: record,
    evaluations: [record],
    seconds: 1,
    evaluationSeconds: 0.1,
  };
};

const round = (
  r: number,
  density: number,
  ticket: number,
  reinit?: number,
  pruning?: number,
): RoundReport => ({
  round: r,
  density: { overall: { kept: density * 100, total: 100, density }, perParameter: {} },
  ticket: run('ticket', r, ticket),
  ...(reinit === undefined ? {} : { randomReinit: run('randomReinit', r, reinit) }),
  ...(pruning === undefined ? {} : { randomPruning: run('randomPruning', r, pruning) }),
  seconds: 2,
});

describe('lottery curves and verdict', () => {
  const rounds = [round(0, 1, 0.9), round(1, 0.5, 0.91, 0.88, 0.87), round(2, 0.25, 0.895, 0.87)];

  it('reads early-stop accuracy by density; the dense round counts for every kind', () => {
    const curves = lotteryCurves(rounds);
    expect(curves.density).toEqual([1, 0.5, 0.25]);
    expect(curves.accuracy.ticket).toEqual([0.9, 0.91, 0.895]);
    expect(curves.accuracy.randomReinit).toEqual([0.9, 0.88, 0.87]);
    expect(curves.accuracy.randomPruning).toEqual([0.9, 0.87, null]);
  });

  it('compares the ticket at the sparsest density with the dense network and random reinit', () => {
    const v = lotteryVerdict(lotteryCurves(rounds), 1, 1);
    expect(v.density).toBe(0.25);
    expect(v.ticketMinusDense).toBeCloseTo(-0.5, 9);
    expect(v.ticketMinusReinit).toBeCloseTo(2.5, 9);
    expect(v.randomPruning).toBeNull();
    expect([v.keepsDense, v.beatsReinit, v.reproduced]).toEqual([true, true, true]);
    expect(lotteryVerdict(lotteryCurves(rounds), 0.4, 1).keepsDense).toBe(false);
    expect(lotteryVerdict(lotteryCurves(rounds), 1, 2.6).beatsReinit).toBe(false);
    expect(lotteryVerdict(lotteryCurves(rounds), 1, 2.6).reproduced).toBe(false);
  });
});
