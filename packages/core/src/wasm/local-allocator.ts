import type { ValType } from './wasm-encoder';

/** Hands out a function's extra locals, numbered after its `first` parameters; `types` lists them. */
export class LocalAllocator {
  readonly types: ValType[] = [];
  constructor(private readonly first: number) {}
  /** A new local of `type`; returns its index. */
  add(type: ValType): number {
    this.types.push(type);
    return this.first + this.types.length - 1;
  }
}
