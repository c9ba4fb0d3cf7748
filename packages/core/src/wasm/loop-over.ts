import { op } from './opcodes';

/**
 * `while (index < end) { body; index += step }` as block/loop/br_if (unsigned comparison), with
 * `index` and `end` local indices. The caller initializes `index`.
 */
export function loopOver(index: number, end: number, step: number, body: number[]): number[] {
  return [
    ...op.block,
    ...op.loop,
    ...op.localGet(index),
    ...op.localGet(end),
    ...op.i32GeU,
    ...op.brIf(1),
    ...body,
    ...op.localGet(index),
    ...op.i32Const(step),
    ...op.i32Add,
    ...op.localSet(index),
    ...op.br(0),
    ...op.end,
    ...op.end,
  ];
}
