import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectDescentError } from '@descent/core/testing';
import * as optim from '../index';

/** A transform to wrap, for the wrappers. */
const inner = () => optim.scaleBySign();

interface Case {
  /** The factory with its other arguments valid, called with `options`. */
  make: (options: unknown) => unknown;
  /** Valid options (none when the transform needs no option). */
  valid: Record<string, unknown>;
  /** A misspelled option name. */
  typo: string;
  /** Whether the options may be omitted. */
  optional: boolean;
}

/** Every transform factory of the package that takes an options object. */
const CASES: Record<string, Case> = {
  scaleByAdam: {
    make: (o) => optim.scaleByAdam(o as never),
    valid: { beta1: 0.9, beta2: 0.99 },
    typo: 'betta2',
    optional: true,
  },
  scaleByAdamax: {
    make: (o) => optim.scaleByAdamax(o as never),
    valid: { beta1: 0.9 },
    typo: 'beta_2',
    optional: true,
  },
  scaleByNadam: {
    make: (o) => optim.scaleByNadam(o as never),
    valid: { momentumDecay: 4e-3 },
    typo: 'momentum_decay',
    optional: true,
  },
  scaleByRadam: {
    make: (o) => optim.scaleByRadam(o as never),
    valid: { epsilon: 1e-8 },
    typo: 'eps',
    optional: true,
  },
  scaleByAdabound: {
    make: (o) => optim.scaleByAdabound(o as never),
    valid: { finalLr: 0.1 },
    typo: 'finalLR',
    optional: true,
  },
  scaleByYogi: {
    make: (o) => optim.scaleByYogi(o as never),
    valid: { initialAccumulatorValue: 1e-6 },
    typo: 'initialAccumulator',
    optional: true,
  },
  scaleByPadam: {
    make: (o) => optim.scaleByPadam(o as never),
    valid: { partial: 0.125 },
    typo: 'p',
    optional: true,
  },
  scaleByMomentum: {
    make: (o) => optim.scaleByMomentum(o as never),
    valid: { momentum: 0.9, nesterov: true },
    typo: 'nesterow',
    optional: true,
  },
  scaleByRss: {
    make: (o) => optim.scaleByRss(o as never),
    valid: { lrDecay: 0 },
    typo: 'lr_decay',
    optional: true,
  },
  scaleByRms: {
    make: (o) => optim.scaleByRms(o as never),
    valid: { rho: 0.9, centered: true },
    typo: 'alpha',
    optional: true,
  },
  scaleByAdadelta: {
    make: (o) => optim.scaleByAdadelta(o as never),
    valid: { rho: 0.9 },
    typo: 'rh0',
    optional: true,
  },
  scaleByLion: {
    make: (o) => optim.scaleByLion(o as never),
    valid: { beta2: 0.99 },
    typo: 'betas',
    optional: true,
  },
  scaleByTrustRatio: {
    make: (o) => optim.scaleByTrustRatio(o as never),
    valid: { trustCoefficient: 1e-3 },
    typo: 'trustCoef',
    optional: true,
  },
  scaleByFactoredRms: {
    make: (o) => optim.scaleByFactoredRms(o as never),
    valid: { decayRate: 0.8 },
    typo: 'decay_rate',
    optional: true,
  },
  addDecayedWeights: {
    make: (o) => optim.addDecayedWeights(1e-2, o as never),
    valid: { mask: { w: true } },
    typo: 'masks',
    optional: true,
  },
  adaptiveClip: {
    make: (o) => optim.adaptiveClip(0.01, 1e-3, o as never),
    valid: { info: {} },
    typo: 'infos',
    optional: true,
  },
  partition: {
    make: (o) => optim.partition([], o as never),
    valid: { default: inner() },
    typo: 'fallback',
    optional: true,
  },
  multiSteps: {
    make: (o) => optim.multiSteps(inner(), o as never),
    valid: { everyK: 2 },
    typo: 'everyk',
    optional: false,
  },
  applyIfFinite: {
    make: (o) => optim.applyIfFinite(inner(), o as never),
    valid: { maxConsecutiveErrors: 3 },
    typo: 'maxConsecutiveError',
    optional: true,
  },
  ema: {
    make: (o) => optim.ema(0.9, o as never),
    valid: { debias: false },
    typo: 'debiased',
    optional: true,
  },
};

/** The factories whose `XxxOptions` type index.ts exports next to them from `./transforms/`. */
function factoriesWithOptions(): string[] {
  const index = readFileSync(new URL('../index.ts', import.meta.url), 'utf8');
  const blocks = index.matchAll(/export \{([^}]*)\} from '\.\/transforms\/[^']+';/g);
  return [...blocks]
    .flatMap(([, names]) => [...(names ?? '').matchAll(/type (\w+)Options\b/g)])
    .map(([, type]) => (type ?? '').charAt(0).toLowerCase() + (type ?? '').slice(1))
    .sort();
}

describe('transform options', () => {
  it('covers every transform factory exported with an options type', () => {
    const names = factoriesWithOptions();
    expect(names.length).toBeGreaterThan(0);
    expect(Object.keys(CASES).sort()).toEqual(names);
    for (const name of names)
      expect(typeof (optim as Record<string, unknown>)[name]).toBe('function');
  });

  describe.each(Object.entries(CASES))('%s', (name, { make, valid, typo, optional }) => {
    it('accepts its options, and no options where they are optional', () => {
      expect(() => make(valid)).not.toThrow();
      if (optional) {
        expect(() => make(undefined)).not.toThrow();
        expect(() => make({})).not.toThrow();
      }
    });

    it('rejects a misspelled option with UNKNOWN_PARAM naming it', () => {
      expectDescentError(
        () => make({ ...valid, [typo]: valid[Object.keys(valid)[0] ?? ''] ?? 1 }),
        'UNKNOWN_PARAM',
        `${name} options`,
        JSON.stringify(typo),
      );
    });

    it('checks the names before any value', () => {
      const bad = Object.fromEntries(Object.keys(valid).map((key) => [key, 'bad']));
      expectDescentError(() => make({ ...bad, [typo]: 'bad' }), 'UNKNOWN_PARAM', typo);
    });

    it('rejects options that are no plain object with BAD_ARGUMENT', () => {
      for (const options of [0.9, 'adam', [valid], null]) {
        expectDescentError(() => make(options), 'BAD_ARGUMENT', `${name} options`);
      }
    });
  });
});
