import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
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

describe('ProgressLine', () => {
  it('on a terminal redraws in place only when the percent or the suffix changes', () => {
    const stream = fakeStream(true);
    const line = new ProgressLine(stream, 'round 1', 10);
    line.update(0, 200, 'loss 2.30');
    line.update(1, 200, 'loss 2.30'); // still 0 %
    line.update(2, 200, 'loss 2.30'); // 1 %
    line.update(3, 200, 'loss 2.30'); // still 1 %
    line.update(3, 200, 'loss 1.90');
    expect(stream.writes).toEqual([
      '\rround 1 [----------]   0 % loss 2.30',
      '\rround 1 [----------]   1 % loss 2.30',
      '\rround 1 [----------]   1 % loss 1.90',
    ]);
  });

  it('on a terminal pads a shorter line over the longer one and ends with a newline', () => {
    const stream = fakeStream(true);
    const line = new ProgressLine(stream, 'train', 4);
    line.update(1, 2, 'a long suffix');
    line.update(2, 2);
    line.finish('ok');
    expect(stream.writes).toEqual([
      '\rtrain [##--]  50 % a long suffix',
      '\rtrain [####] 100 %              ',
      '\rtrain [####] 100 % ok\n', // the spaces before already blanked the longer line
    ]);
    // After finish, the next update starts a fresh line: nothing to cover.
    line.update(0, 2);
    expect(stream.writes[3]).toBe('\rtrain [----]   0 % ');
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
