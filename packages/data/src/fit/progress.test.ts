import { describe, expect, it } from 'vitest';
import { ProgressLine, autoProgressSink, formatProgress } from './progress';

describe('formatProgress', () => {
  it('shows the bar, the ETA from this epoch’s rate, samples/s and the running loss', () => {
    expect(
      formatProgress({
        epoch: 2,
        epochs: 5,
        batch: 100,
        numBatches: 250,
        seconds: 2,
        samples: 3200,
        loss: 0.123456,
      }),
    ).toBe('epoch 2/5 [########------------] 100/250 eta 3.0s 1600 samples/s loss 0.1235');
  });

  it('writes minutes past 60 s and dashes before the first batch', () => {
    const start = { epoch: 1, epochs: 1, batch: 0, numBatches: 10, seconds: 0, samples: 0 };
    expect(formatProgress(start)).toBe('epoch 1/1 [--------------------] 0/10 eta - - samples/s');
    expect(formatProgress({ ...start, batch: 1, seconds: 10, samples: 32 })).toBe(
      'epoch 1/1 [##------------------] 1/10 eta 1m30s 3 samples/s',
    );
  });
});

describe('ProgressLine', () => {
  it('redraws in place at most every 200 ms, clears longer text, ends the epoch with a newline', () => {
    const written: string[] = [];
    let now = 0;
    const line = new ProgressLine({ write: (t) => written.push(t) }, () => now);
    const state = { epoch: 1, epochs: 1, batch: 1, numBatches: 2, seconds: 1, samples: 8, loss: 2 };
    line.update(state);
    now = 150;
    expect(line.due()).toBe(false);
    line.update({ ...state, batch: 2 });
    expect(written).toHaveLength(1);
    now = 200;
    expect(line.due()).toBe(true);
    line.finish({ ...state, batch: 2, loss: 1, samples: 16, seconds: 2 });
    const first = formatProgress(state);
    const last = formatProgress({ ...state, batch: 2, loss: 1, samples: 16, seconds: 2 });
    expect(written).toEqual([`\r${first}`, `\r${last.padEnd(first.length)}`, '\n']);
  });

  it('cuts the line to the terminal width', () => {
    const written: string[] = [];
    const line = new ProgressLine({ write: (t) => written.push(t), columns: 11 });
    line.update({ epoch: 1, epochs: 1, batch: 0, numBatches: 1, seconds: 0, samples: 0 });
    expect(written).toEqual(['\repoch 1/1 ']);
  });
});

describe('autoProgressSink', () => {
  it('is stderr only when stderr is a TTY', () => {
    expect(autoProgressSink()).toBe(process.stderr.isTTY ? process.stderr : undefined);
  });
});
