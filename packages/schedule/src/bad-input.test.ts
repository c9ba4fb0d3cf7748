/**
 * Bad input to every export of @descent/schedule is refused with a DescentError of a known code
 * whose message names the argument, before anything changes (schedules never touch tensors, so
 * the suite runs once, on cpu only to count tensors). Then the regressions of known failures, and
 * the property that wide finite options are refused or give finite values at every step.
 */
import '@tensorflow/tfjs-backend-cpu';
import {
  BAD_INPUT_RUNS,
  badNumber,
  expectBadInput,
  expectExportsCovered,
  notAFunction,
  notANumber,
  notAPlainObject,
  type Watched,
} from '@descent/core/testing';
import fc from 'fast-check';
import { describe, it } from 'vitest';
import * as pkg from './index';
import { checkKind, checkSteps, KINDS } from './test-support/bad-input-kinds';
import { checkRefusedOrFinite, WIDE_COMBINATORS, WIDE_LEAVES } from './test-support/wide-options';

const run = { numRuns: BAD_INPUT_RUNS };
const VALUE = ['BAD_HYPERPARAM', 'NON_FINITE'] as const;
/** `null` and `undefined` mean "absent" for an optional option (JSON writes `null`). */
const present = (v: unknown) => v !== null && v !== undefined;
const notASchedule = fc.oneof(
  notAFunction,
  fc.constant((t: number) => t),
);

/** A plateau's state, read afresh by every snapshot of `expectBadInput`. */
function watchState(plateau: pkg.ReduceOnPlateau): Watched {
  return {
    get state() {
      return plateau.state() as unknown as Watched;
    },
  };
}

const CASES: Record<string, () => Promise<void>> = {
  ...Object.fromEntries(Object.entries(KINDS).map(([k, spec]) => [k, () => checkKind(k, spec)])),
  constant: async () => {
    await fc.assert(
      fc.asyncProperty(badNumber(), async (bad) => {
        await expectBadInput(() => pkg.constant(bad as number), {
          code: VALUE,
          mentions: ['constant.value'],
        });
      }),
      run,
    );
    await checkSteps(pkg.constant(1));
  },
  makeSchedule: async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(notAPlainObject, fc.constant({ type: 3 }), fc.constant({ type: '' })),
        async (bad) => {
          await expectBadInput(() => pkg.makeSchedule(bad as never, () => 1), {
            code: 'BAD_ARGUMENT',
            mentions: ['makeSchedule config'],
          });
        },
      ),
      run,
    );
    await fc.assert(
      fc.asyncProperty(notAFunction, async (bad) => {
        await expectBadInput(() => pkg.makeSchedule({ type: 'mine' }, bad as never), {
          code: 'BAD_ARGUMENT',
          mentions: ['makeSchedule value'],
        });
      }),
      run,
    );
    await checkSteps(pkg.makeSchedule({ type: 'mine' }, () => 1));
  },
  join: async () => {
    const a = pkg.constant(1);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(notASchedule, fc.constant([]), fc.constant([a, 2])),
        async (bad) => {
          await expectBadInput(() => pkg.join(bad as never, []), {
            code: 'BAD_ARGUMENT',
            mentions: ['join.schedules'],
          });
        },
      ),
      run,
    );
    await fc.assert(
      fc.asyncProperty(fc.oneof(notANumber, fc.constant([]), fc.constant([1, 2])), async (bad) => {
        await expectBadInput(() => pkg.join([a, a], bad as never), {
          code: ['BAD_ARGUMENT', ...VALUE],
          mentions: ['join.boundaries'],
        });
      }),
      run,
    );
    await fc.assert(
      fc.asyncProperty(badNumber({ min: 0, integer: true }), async (bad) => {
        await expectBadInput(() => pkg.join([a, a], [bad as number]), {
          code: VALUE,
          mentions: ['join.boundaries[0]'],
        });
      }),
      run,
    );
    await expectBadInput(() => pkg.join([a, a, a], [5, 5]), {
      code: 'BAD_HYPERPARAM',
      mentions: ['join.boundaries[1]'],
    });
    await checkSteps(pkg.join([a, a], [3]));
  },
  reduceOnPlateauMethods: async () => {
    const plateau = pkg.reduceOnPlateau({ patience: 0 });
    plateau.update(1);
    const unchanged = watchState(plateau);
    await fc.assert(
      fc.asyncProperty(badNumber(), async (bad) => {
        await expectBadInput(() => plateau.update(bad as number), {
          code: VALUE,
          mentions: ['metric'],
          unchanged,
        });
      }),
      run,
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          badNumber().filter((b) => typeof b !== 'function'),
          fc.constant(() => 1),
        ),
        async (bad) => {
          await expectBadInput(() => plateau.schedule(bad as never), {
            code: ['BAD_ARGUMENT', ...VALUE],
            mentions: ['reduceOnPlateau base'],
            unchanged,
          });
        },
      ),
      run,
    );
    await fc.assert(
      fc.asyncProperty(
        notAPlainObject.filter((s) => s !== undefined),
        async (bad) => {
          await expectBadInput(() => pkg.reduceOnPlateau({}, bad as never), {
            code: 'BAD_ARGUMENT',
            mentions: ['reduceOnPlateau.state'],
          });
        },
      ),
      run,
    );
    await expectBadInput(() => pkg.reduceOnPlateau({}, { value: 1 } as never), {
      code: 'BAD_HYPERPARAM',
      mentions: ['reduceOnPlateau.state.numBadEpochs'],
    });
  },
  sample: async () => {
    const s = pkg.constant(1);
    await fc.assert(
      fc.asyncProperty(notAFunction, async (bad) => {
        await expectBadInput(() => pkg.sample(bad as never, 3), {
          code: 'BAD_ARGUMENT',
          mentions: ['schedule'],
        });
      }),
      run,
    );
    await fc.assert(
      // (an array is a list of steps, not a count)
      fc.asyncProperty(
        badNumber({ min: 0, integer: true }).filter((b) => !Array.isArray(b)),
        async (bad) => {
          await expectBadInput(() => pkg.sample(s, bad as number), {
            code: VALUE,
            mentions: ['sample steps'],
          });
        },
      ),
      run,
    );
    await fc.assert(
      fc.asyncProperty(badNumber({ min: 0 }), async (bad) => {
        // a plain function checks nothing itself: the list is checked before it is called
        await expectBadInput(() => pkg.sample((t) => t, [0, bad as number]), {
          code: VALUE,
          mentions: ['sample steps[1]'],
        });
      }),
      run,
    );
  },
  sparkline: () => checkDrawing('sparkline', pkg.sparkline, { chars: 'ab' }),
  sparklineSvg: () => checkDrawing('sparklineSvg', pkg.sparklineSvg, { width: 10 }),
};

/** The shared bad inputs of the two sparkline drawers. */
async function checkDrawing(
  what: string,
  draw: (values: readonly number[], options?: object) => string,
  valid: object,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(fc.oneof(notAPlainObject.filter((v) => !Array.isArray(v))), async (bad) => {
      await expectBadInput(() => draw(bad as never), {
        code: 'BAD_ARGUMENT',
        mentions: [`${what} values`],
      });
    }),
    run,
  );
  await fc.assert(
    fc.asyncProperty(fc.oneof(fc.constantFrom(Number.NaN, Infinity), notANumber), async (bad) => {
      await expectBadInput(() => draw([0, bad as number]), {
        code: ['BAD_ARGUMENT', ...VALUE],
        mentions: [`${what} values[1]`],
      });
    }),
    run,
  );
  await fc.assert(
    fc.asyncProperty(
      notAPlainObject.filter((o) => o !== undefined),
      async (bad) => {
        await expectBadInput(() => draw([0, 1], bad as never), {
          code: 'BAD_ARGUMENT',
          mentions: [what],
        });
      },
    ),
    run,
  );
  await expectBadInput(() => draw([0, 1], { ...valid, colour: 'red' }), {
    code: 'UNKNOWN_PARAM',
    mentions: ['"colour"'],
  });
  for (const field of ['min', 'max']) {
    await fc.assert(
      fc.asyncProperty(badNumber().filter(present), async (bad) => {
        await expectBadInput(() => draw([0, 1], { ...valid, [field]: bad }), {
          code: VALUE,
          mentions: [`${what}.${field}`],
        });
      }),
      run,
    );
  }
  await expectBadInput(() => draw([0, 1], { ...valid, min: 2, max: 1 }), {
    code: 'BAD_HYPERPARAM',
    mentions: [`${what}.min`],
  });
  if (what === 'sparkline') {
    await fc.assert(
      fc.asyncProperty(
        fc
          .oneof(
            notANumber.filter((c) => typeof c !== 'string'),
            fc.constantFrom('', 'x'),
          )
          .filter(present),
        async (bad) => {
          await expectBadInput(() => draw([0, 1], { chars: bad }), {
            code: 'BAD_ARGUMENT',
            mentions: ['sparkline.chars'],
          });
        },
      ),
      run,
    );
    return;
  }
  const size = { min: 0, minExclusive: true, max: 1e6 };
  for (const [field, range] of [
    ['width', size],
    ['height', size],
    ['strokeWidth', { min: 0, max: 1e6 }],
  ] as const) {
    await fc.assert(
      fc.asyncProperty(badNumber(range).filter(present), async (bad) => {
        await expectBadInput(() => draw([0, 1], { [field]: bad }), {
          code: VALUE,
          mentions: [`sparklineSvg.${field}`],
        });
      }),
      run,
    );
  }
  await expectBadInput(() => draw([0, 1], { stroke: 3 }), {
    code: 'BAD_ARGUMENT',
    mentions: ['sparklineSvg.stroke'],
  });
}

describe('bad input', () => {
  for (const [name, check] of Object.entries(CASES)) it(`${name} refuses bad input`, check);

  it('covers every export', () => {
    const { reduceOnPlateauMethods: _, ...exports } = CASES;
    expectExportsCovered(pkg, exports, {});
  });
});

describe('regressions', () => {
  it('regression: cosineDecay({ alpha: -0.5 }) is refused', async () => {
    await expectBadInput(() => pkg.cosineDecay({ initValue: 0.1, decaySteps: 10, alpha: -0.5 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['cosineDecay.alpha', '-0.5'],
    });
  });

  it('regression: cyclicMomentum({ baseMomentum: 1.5 }) is refused (momentum 1.2 before)', async () => {
    await expectBadInput(() => pkg.cyclicMomentum({ baseMomentum: 1.5 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['cyclicMomentum.baseMomentum', '1.5'],
    });
  });

  it('regression: sgdr({ etaMin: -1 }) is refused (learning rate −0.05 before)', async () => {
    await expectBadInput(() => pkg.sgdr({ initValue: 0.1, t0: 10, etaMin: -1 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['sgdr.etaMin', '-1'],
    });
  });

  it('regression: oneCycle with divFactor 6e-323, finalDivFactor 5e-324 (NaN at step 0) is refused', async () => {
    const options = {
      maxValue: 3722,
      totalSteps: 4577,
      divFactor: 6e-323,
      finalDivFactor: 5e-324,
      anneal: 'linear',
    } as const;
    await expectBadInput(() => pkg.oneCycle(options), {
      code: 'BAD_HYPERPARAM',
      mentions: ['oneCycle.divFactor'],
    });
  });

  it('regression: a step count of 2^53 is refused (counts stop being exact)', async () => {
    await expectBadInput(() => pkg.cosineDecay({ initValue: 1, decaySteps: 2 ** 53 }), {
      code: 'BAD_HYPERPARAM',
      mentions: ['cosineDecay.decaySteps'],
    });
  });

  it('regression: sample(s, 1e15) is refused instead of a RangeError', async () => {
    await expectBadInput(() => pkg.sample(pkg.constant(1), 1e15), {
      code: 'BAD_HYPERPARAM',
      mentions: ['sample steps'],
    });
  });
});

describe('wide finite options: refused at construction or finite at every step', () => {
  for (const [kind, c] of Object.entries({ ...WIDE_LEAVES, ...WIDE_COMBINATORS })) {
    it(kind, () => checkRefusedOrFinite(c, 200));
  }
});
