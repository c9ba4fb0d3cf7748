import { expectDescentError } from '@descent/core/testing';
import { describe, expect, it } from 'vitest';
import { renderTextTable } from './text-table';

describe('renderTextTable', () => {
  it('left-aligns the first column, right-aligns the others and pads to the widest cell', () => {
    const table = renderTextTable(
      ['width', 'test loss', 'ntk loss'],
      [
        ['64', '0.0412', '0.0398'],
        ['1024', '0.0301', '0.0300'],
      ],
    );
    expect(table.split('\n')).toEqual([
      'width | test loss | ntk loss',
      '------+-----------+---------',
      '64    |    0.0412 |   0.0398',
      '1024  |    0.0301 |   0.0300',
    ]);
  });

  it('widens a column to a cell longer than its header and counts ± as one column', () => {
    const lines = renderTextTable(['k', 'accuracy'], [['winning ticket', '97.80 ± 0.30 %']]).split(
      '\n',
    );
    expect(lines).toEqual([
      'k              |       accuracy',
      '---------------+---------------',
      'winning ticket | 97.80 ± 0.30 %',
    ]);
  });

  it('follows align per column and trims the spaces at the end of a line', () => {
    const table = renderTextTable(
      ['a', 'bb', 'name'],
      [
        ['1', '2', 'x'],
        ['333', '4', 'long name'],
      ],
      { align: ['right', 'left', 'left'] },
    );
    expect(table.split('\n')).toEqual([
      '  a | bb | name',
      '----+----+----------',
      '  1 | 2  | x',
      '333 | 4  | long name',
    ]);
  });

  it('leaves the cells a short row lacks blank, and gives header and rule alone for no rows', () => {
    expect(renderTextTable(['round', 'a', 'b'], [['0', '1.5', '2'], ['1']]).split('\n')).toEqual([
      'round |   a | b',
      '------+-----+--',
      '0     | 1.5 | 2',
      '1     |     |',
    ]);
    expect(renderTextTable(['only'], [])).toBe('only\n----');
  });

  it('refuses a bad header, bad rows and bad options', () => {
    expectDescentError(() => renderTextTable([], []), 'BAD_ARGUMENT', 'renderTextTable: header');
    expectDescentError(
      () => renderTextTable(['a', 3 as never], []),
      'BAD_ARGUMENT',
      'renderTextTable: header[1]',
      'number 3',
    );
    expectDescentError(() => renderTextTable(['a'], 'x' as never), 'BAD_ARGUMENT', 'rows');
    expectDescentError(
      () => renderTextTable(['a', 'b'], [['1', '2'], '3' as never]),
      'BAD_ARGUMENT',
      'renderTextTable: rows[1]',
      '"3"',
    );
    expectDescentError(
      () => renderTextTable(['a', 'b'], [['1', 2 as never]]),
      'BAD_ARGUMENT',
      'rows[0][1]',
      'number 2',
    );
    expectDescentError(
      () => renderTextTable(['a'], [['1', '2']]),
      'BAD_ARGUMENT',
      'rows[0] has 2 cells',
      '1 columns',
    );
    expectDescentError(
      () => renderTextTable(['a', 'b'], [], { align: ['left'] }),
      'BAD_ARGUMENT',
      'renderTextTable.align',
      '2',
    );
    expectDescentError(
      () => renderTextTable(['a'], [], { align: ['centre' as never] }),
      'BAD_ARGUMENT',
      'renderTextTable.align',
    );
    expectDescentError(
      () => renderTextTable(['a'], [], 'x' as never),
      'BAD_ARGUMENT',
      'renderTextTable',
    );
    expectDescentError(
      () => renderTextTable(['a'], [], { aling: ['left'] } as never),
      'UNKNOWN_PARAM',
      '"aling"',
    );
  });
});
