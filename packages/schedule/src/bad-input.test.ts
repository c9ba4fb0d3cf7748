import { describe, it } from 'vitest';
import { checkRefusedOrFinite, WIDE_COMBINATORS, WIDE_LEAVES } from './test-support/wide-options';

describe('wide finite options: refused at construction or finite at every step', () => {
  for (const [kind, c] of Object.entries({ ...WIDE_LEAVES, ...WIDE_COMBINATORS })) {
    it(kind, () => checkRefusedOrFinite(c, 200));
  }
});
