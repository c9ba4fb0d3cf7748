import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it, vi } from 'vitest';
import { ProgressLine, progressBar } from './progress-bar';

describe('progressBar', () => {
  it('fills ⌊fraction × width⌋ cells and shows the whole percent', () => {
    expect(progressBar(0, 100)).toBe('[------------------------------]   0 % ');
    expect(progressBar(37, 100)).toBe('[###########-------------------]  37 % ');
    expect(progressBar(100, 100)).toBe('[##############################] 100 % ');
    expect(progressBar(29, 100, 10)).toBe('[##--------]  29 % ');
    expect(progressBar(999, 1000, 10)).toBe('[#########-]  99 % ');
  });

  it('clamps done to [0, total] and shows 100 % for total 0', () => {
    expect(progressBar(150, 100, 10)).toBe('[##########] 100 % ');
    expect(progressBar(-5, 100, 10)).toBe('[----------]   0 % ');
    expect(progressBar(0, 0, 10)).toBe('[##########] 100 % ');
    expect(progressBar(3, 0, 4)).toBe('[####] 100 % ');
  });

  it('refuses non-finite numbers, a negative total and a bad width', () => {
    expectDescentError(() => progressBar(Number.NaN, 10), 'NON_FINITE', 'progressBar: done');
    expectDescentError(() => progressBar(1, Number.POSITIVE_INFINITY), 'NON_FINITE', 'total');
    expectDescentError(() => progressBar(1, -1), 'BAD_HYPERPARAM', 'progressBar: total', '-1');
    expectDescentError(() => progressBar(1, 10, 0), 'BAD_HYPERPARAM', 'progressBar: width');
    expectDescentError(() => progressBar(1, 10, 2.5), 'BAD_HYPERPARAM', 'width', '2.5');
    expectDescentError(() => progressBar('1' as never, 10), 'BAD_HYPERPARAM', 'done');
  });
});

/** A stream that records what is written to it. */
function fakeStream(isTTY: boolean | undefined) {
  const writes: string[] = [];
  return { writes, isTTY, write: (s: string) => writes.push(s) };
}

/** The lines drawn on a terminal: what is written between moving to column 1 and clearing. */
function drawn(writes: string[]): string[] {
  return writes.filter((_, k) => writes[k - 1] === '\x1b[1G');
}

describe('ProgressLine', () => {
  it('on a terminal draws with cli-progress: in place, with the time left from the rate', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const stream = fakeStream(true);
      const line = new ProgressLine(stream, 'round 1', 10);
      line.update(0, 100, 'loss 2.30');
      // Saves the cursor, goes to column 1, draws, clears the rest of the line.
      expect(stream.writes).toEqual([
        '\x1b7',
        '\x1b[1G',
        'round 1 [----------]   0 % ETA -- | loss 2.30',
        '\x1b[0K',
      ]);
      // 40 of 100 in 2 s: 60 left at 20 per second is 3 s.
      vi.setSystemTime(2000);
      line.update(40, 100, 'loss 1.90');
      expect(drawn(stream.writes)).toEqual([
        'round 1 [----------]   0 % ETA -- | loss 2.30',
        'round 1 [####------]  40 % ETA 3s | loss 1.90',
      ]);
      // Within the throttle an update waits for the redraw timer (10 per second).
      line.update(45, 100, 'loss 1.80');
      expect(drawn(stream.writes)).toHaveLength(2);
      vi.advanceTimersByTime(100);
      expect(drawn(stream.writes)[2]).toMatch(
        /^round 1 \[####------\] {2}45 % ETA \d+s \| loss 1\.80$/,
      );
      // Nothing changed: the timer draws nothing new.
      vi.advanceTimersByTime(500);
      expect(drawn(stream.writes)).toHaveLength(3);
      line.finish('ok');
      expect(stream.writes.slice(-4)).toEqual([
        'round 1 [####------]  45 % ok',
        '\x1b[0K',
        '\x1b8',
        '\n',
      ]);
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('on a terminal ends each line with a newline; the next update starts a new line', () => {
    vi.useFakeTimers({ now: 0 });
    try {
      const stream = fakeStream(true);
      const line = new ProgressLine(stream, 'train', 4);
      line.finish('nothing to do');
      expect(drawn(stream.writes)).toEqual(['train [####] 100 % nothing to do']);
      expect(stream.writes.at(-1)).toBe('\n');
      line.update(1, 2);
      expect(stream.writes.slice(-4)).toEqual([
        '\x1b7',
        '\x1b[1G',
        'train [##--]  50 % ETA --',
        '\x1b[0K',
      ]);
      line.finish();
      expect(drawn(stream.writes).at(-1)).toBe('train [##--]  50 % ');
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('elsewhere prints nothing until finish, then one full line', () => {
    for (const isTTY of [false, undefined]) {
      const stream = fakeStream(isTTY);
      const line = new ProgressLine(stream, 'round 2', 10);
      for (let step = 1; step <= 50; step++) line.update(step, 50, `step ${step}`);
      expect(stream.writes).toEqual([]);
      line.finish('test accuracy 97.80 %');
      expect(stream.writes).toEqual(['round 2 [##########] 100 % test accuracy 97.80 %\n']);
    }
  });

  it('finish keeps the last suffix and state; without a label there is no leading space', () => {
    const stream = fakeStream(false);
    const line = new ProgressLine(stream, '', 4);
    line.update(1, 4, 'stopped early');
    line.finish();
    expect(stream.writes).toEqual(['[#---]  25 % stopped early\n']);
    new ProgressLine(stream).finish('nothing to do');
    expect(stream.writes[1]).toBe('[##############################] 100 % nothing to do\n');
  });

  it('refuses a stream without write, a bad label, width or suffix', () => {
    expectDescentError(() => new ProgressLine({} as never), 'BAD_ARGUMENT', 'ProgressLine: stream');
    expectDescentError(() => new ProgressLine(null as never), 'BAD_ARGUMENT', 'stream', 'null');
    expectDescentError(
      () => new ProgressLine(fakeStream(true), 3 as never),
      'BAD_ARGUMENT',
      'ProgressLine: label',
    );
    expectDescentError(
      () => new ProgressLine(fakeStream(true), 'x', 0),
      'BAD_HYPERPARAM',
      'ProgressLine: width',
    );
    const stream = fakeStream(true);
    const line = new ProgressLine(stream, 'x');
    expectDescentError(() => line.update(1, 2, 5 as never), 'BAD_ARGUMENT', 'update: suffix');
    expectDescentError(() => line.update(Number.NaN, 2), 'NON_FINITE', 'update: done');
    expectDescentError(() => line.update(1, -2), 'BAD_HYPERPARAM', 'update: total');
    expectDescentError(() => line.finish(5 as never), 'BAD_ARGUMENT', 'finish: suffix');
    expect(stream.writes).toEqual([]);
  });
});
