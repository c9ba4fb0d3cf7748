import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PARAM_LAYOUTS, Rng } from '@descent/core';
import {
  BAD_INPUT_RUNS,
  badNumber,
  expectBadInput,
  expectExportsCovered,
  forEachBackend,
  notAPlainObject,
  unknownName,
} from '@descent/core/testing';
import * as pkg from './index';
import { regressionCases } from './test-support/bad-input-regressions';
import { SCHEME_CASES, type SchemeCase } from './test-support/bad-input-schemes';
import {
  badChoice,
  badRng,
  badSeed,
  badShape,
  beyondFloat32,
} from './test-support/bad-input-values';
import {
  fixupCases,
  fixupScaleCases,
  gainCases,
  initializerCases,
  lsuvCases,
  signalPropagationCases,
} from './test-support/bad-input-others';

const RUNS = { numRuns: BAD_INPUT_RUNS };

/** Every callable export and the tests of its bad inputs. */
const CASES: Record<string, () => void> = {
  ...Object.fromEntries(
    Object.entries(SCHEME_CASES).map(([name, c]) => [name, () => scheme(name, c)]),
  ),
  gain: gainCases,
  initializer: initializerCases,
  fixupScale: fixupScaleCases,
  fixup: fixupCases,
  lsuv: lsuvCases,
  signalPropagation: signalPropagationCases,
};

it('every callable export has bad-input cases', () => {
  expectExportsCovered(pkg, CASES, {});
});

forEachBackend(
  'bad input',
  () => {
    for (const [name, register] of Object.entries(CASES)) describe(name, register);
    describe('regressions', regressionCases);
  },
  { backends: ['cpu', 'wasm'] },
);

/** The keys a scheme accepts. */
function knownKeys(c: SchemeCase): string[] {
  return [
    ...(c.random ? ['rng', 'seed'] : []),
    'layout',
    ...Object.keys(c.numbers),
    ...Object.keys(c.choices),
  ];
}

/**
 * Calls the scheme with bad input and asserts the refusal, and that the generator did not
 * advance (the next draw is the one a fresh generator of the same seed makes).
 */
async function refused(
  c: SchemeCase,
  name: string,
  shape: unknown,
  options: (rng: Rng) => unknown,
  expectation: Parameters<typeof expectBadInput>[1],
): Promise<void> {
  const rng = new Rng(7);
  const before = rng.state();
  const error = await expectBadInput(() => c.call(shape, options(rng)), expectation);
  expect(error.message).toContain(name);
  expect(rng.state()).toEqual(before);
}

function scheme(name: string, c: SchemeCase): void {
  const withRng = (rng: Rng, extra: Record<string, unknown> = {}) => ({
    ...(c.random ? { rng } : {}),
    ...c.base,
    ...extra,
  });

  it('accepts the valid call the other cases start from', () => {
    const t = c.call(c.shape, withRng(new Rng(1)));
    expect(t.shape).toEqual(c.shape);
    t.dispose();
  });

  it('refuses malformed, fractional, negative, NaN and huge shapes before allocating', async () => {
    await fc.assert(
      fc.asyncProperty(badShape, async (shape) => {
        await refused(c, name, shape, (rng) => withRng(rng), {
          code: 'BAD_ARGUMENT',
          mentions: ['shape'],
        });
      }),
      RUNS,
    );
  });

  it('refuses options that are not a plain object, and unknown option names', async () => {
    await fc.assert(
      fc.asyncProperty(notAPlainObject, async (options) => {
        await refused(c, name, c.shape, () => options, {
          code: 'BAD_ARGUMENT',
          mentions: ['options'],
        });
      }),
      RUNS,
    );
    await fc.assert(
      fc.asyncProperty(unknownName(knownKeys(c)), async (key) => {
        await refused(c, name, c.shape, (rng) => withRng(rng, { [key]: 1 }), {
          code: 'UNKNOWN_PARAM',
          mentions: [JSON.stringify(key)],
        });
      }),
      RUNS,
    );
  });

  it('refuses unknown layouts and layouts that do not fit the shape', async () => {
    await fc.assert(
      fc.asyncProperty(badChoice(PARAM_LAYOUTS), async (layout) => {
        await refused(c, name, c.shape, (rng) => withRng(rng, { layout }), {
          code: 'BAD_ARGUMENT',
          mentions: ['layout'],
        });
      }),
      RUNS,
    );
    await refused(c, name, c.shape, (rng) => withRng(rng, { layout: c.wrongLayout }), {
      code: 'SHAPE_MISMATCH',
      mentions: [`[${c.shape.join(', ')}]`],
    });
  });

  for (const [option, range] of Object.entries(c.numbers)) {
    it(`refuses a bad ${option} (not a number, non-finite, out of range)`, async () => {
      await fc.assert(
        fc.asyncProperty(badNumber(range), async (bad) => {
          await refused(c, name, c.shape, (rng) => withRng(rng, { [option]: bad }), {
            code: ['BAD_HYPERPARAM', 'NON_FINITE'],
            mentions: [option],
          });
        }),
        RUNS,
      );
    });
  }

  for (const option of c.float32) {
    it(`regression: ${name}({ ${option}: 1e39 }) is refused instead of filling Infinity`, async () => {
      await fc.assert(
        fc.asyncProperty(beyondFloat32, async (bad) => {
          await refused(c, name, c.shape, (rng) => withRng(rng, { [option]: bad }), {
            code: 'BAD_HYPERPARAM',
            mentions: [option],
          });
        }),
        RUNS,
      );
    });
  }

  for (const [option, values] of Object.entries(c.overflow)) {
    it(`regression: ${name}({ ${option}: ${values[0]} }) whose draws overflow float32 is refused`, async () => {
      for (const bad of values) {
        await refused(c, name, c.shape, (rng) => withRng(rng, { [option]: bad }), {
          code: 'BAD_HYPERPARAM',
          mentions: [option],
        });
      }
    });
  }

  for (const [option, allowed] of Object.entries(c.choices)) {
    it(`refuses an unknown ${option} (bigints included)`, async () => {
      await fc.assert(
        fc.asyncProperty(badChoice(allowed), async (bad) => {
          await refused(c, name, c.shape, (rng) => withRng(rng, { [option]: bad }), {
            code: ['BAD_ARGUMENT', 'BAD_HYPERPARAM'],
            mentions: [option],
          });
        }),
        RUNS,
      );
    });
  }

  if (c.random) {
    it('refuses a bad seed, a bad rng, both, or neither', async () => {
      await fc.assert(
        fc.asyncProperty(badSeed, async (seed) => {
          await refused(c, name, c.shape, () => ({ ...c.base, seed }), {
            code: ['BAD_ARGUMENT', 'BAD_HYPERPARAM', 'NON_FINITE'],
            mentions: ['seed'],
          });
        }),
        RUNS,
      );
      await fc.assert(
        fc.asyncProperty(badRng, async (rng) => {
          await refused(c, name, c.shape, () => ({ ...c.base, rng }), {
            code: 'BAD_ARGUMENT',
            mentions: ['rng'],
          });
        }),
        RUNS,
      );
      await refused(c, name, c.shape, (rng) => ({ ...c.base, rng, seed: 1 }), {
        code: 'BAD_ARGUMENT',
        mentions: ['rng', 'seed'],
      });
      await refused(c, name, c.shape, () => c.base, {
        code: 'BAD_ARGUMENT',
        mentions: ['rng', 'seed'],
      });
    });
  }

  if (c.fans) {
    it('refuses a shape without fans (rank 3, rank 5)', async () => {
      for (const shape of [
        [2, 3, 4],
        [1, 1, 1, 1, 1],
      ]) {
        await refused(c, name, shape, (rng) => withRng(rng), {
          code: 'SHAPE_MISMATCH',
          mentions: [`[${shape.join(', ')}]`],
        });
      }
    });
  }
}
