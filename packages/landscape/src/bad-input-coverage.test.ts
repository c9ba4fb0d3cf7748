import { expectExportsCovered } from '@descent/core/testing';
import { it } from 'vitest';
import * as landscape from './index';

/** Each callable export and the suite that refuses its bad input. */
const COVERED: Record<string, string> = {
  hvp: 'hessian/bad-input-hvp.test.ts',
  hvpFiniteDifference: 'hessian/bad-input-hvp.test.ts',
  hessianEigs: 'spectrum/bad-input-spectrum.test.ts',
  hessianTrace: 'spectrum/bad-input-spectrum.test.ts',
  hessianDensity: 'spectrum/bad-input-spectrum.test.ts',
  densityOnGrid: 'spectrum/bad-input-spectrum.test.ts',
  sharpness: 'spectrum/bad-input-spectrum.test.ts',
  randomDirection: 'surface/bad-input-surface.test.ts',
  surface1d: 'surface/bad-input-surface.test.ts',
  surface2d: 'surface/bad-input-surface.test.ts',
  interpolate: 'surface/bad-input-surface.test.ts',
  curveWeights: 'curves/bad-input-curves.test.ts',
  linearPath: 'curves/bad-input-curves.test.ts',
  modeConnect: 'curves/bad-input-curves.test.ts',
  evaluateCurve: 'curves/bad-input-curves.test.ts',
  recomputeStats: 'curves/bad-input-curves.test.ts',
};

it('every callable export has bad-input cases', () => {
  expectExportsCovered(landscape, COVERED);
});
