import * as tf from '@tensorflow/tfjs-core';
import { expect, it } from 'vitest';
import { Rng } from '@descent/core';
import { expectDescentError, forEachBackend } from '@descent/core/testing';
import { heNormal } from './he';
import { INITIALIZER_NAMES, initializer } from './initializer';

forEachBackend(
  'initializer',
  () => {
    it('binds a scheme by name: with a seed every call repeats; with an rng it advances', async () => {
      const seeded = initializer('heNormal', { seed: 4, distribution: 'normal' });
      const a = seeded([8, 8]);
      const b = seeded([8, 8]);
      const c = heNormal([8, 8], { seed: 4, distribution: 'normal' });
      expect(Array.from(await a.data())).toEqual(Array.from(await b.data()));
      expect(Array.from(await a.data())).toEqual(Array.from(await c.data()));
      const drawing = initializer('orthogonal', { rng: new Rng(4) });
      const d = drawing([4, 4]);
      const e = drawing([4, 4]);
      expect(Array.from(await d.data())).not.toEqual(Array.from(await e.data()));
      const z = initializer('constant', { value: 2 })([3]);
      expect(Array.from(await z.data())).toEqual([2, 2, 2]);
      tf.dispose([a, b, c, d, e, z]);
      expect(INITIALIZER_NAMES).toContain('deltaOrthogonal');
      expect(INITIALIZER_NAMES).toHaveLength(15);
    });

    it('rejects unknown names and bad options at once, shapes at call time', () => {
      expectDescentError(
        () => initializer('kaiming' as 'heNormal'),
        'BAD_ARGUMENT',
        'kaiming',
        'heNormal',
      );
      expectDescentError(() => initializer('toString' as 'heNormal'), 'BAD_ARGUMENT', 'toString');
      expectDescentError(
        () => initializer('uniform', { seed: 0, minval: 1, maxval: 0 }),
        'BAD_HYPERPARAM',
        'maxval',
      );
      const bound = initializer('heNormal', { seed: 0 });
      expectDescentError(() => bound([2, 3, 4]), 'SHAPE_MISMATCH', '[2, 3, 4]');
    });
  },
  { backends: ['cpu'] },
);
