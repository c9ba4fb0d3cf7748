import type { LandscapeResult } from './experiment';

/** One claim of the experiment, the measured evidence and whether it held. */
export interface Finding {
  claim: string;
  evidence: string;
  holds: boolean;
}

const f3 = (x: number) => x.toFixed(3);

/**
 * What the numbers say about the three claims: a barrier on the straight line between two
 * independently trained minima (Goodfellow et al. found none for some nets — for two different
 * seeds there is one), a far lower barrier on a trained curve (Garipov et al.), and a sharper
 * large-batch minimum (Keskar et al.).
 */
export function findings(result: LandscapeResult): Finding[] {
  const { linear, curve, spectrum, minima } = result;
  const endpoints = ((minima[0]?.train.loss ?? 0) + (minima[1]?.train.loss ?? 0)) / 2;
  const small = spectrum.small.eigenvalues[0] as number;
  const large = spectrum.large.eigenvalues[0] as number;
  return [
    {
      claim: 'the straight line between two minima crosses a loss barrier',
      evidence: `barrier ${f3(linear.barrier)} above the endpoints' mean loss ${f3(endpoints)}`,
      holds: linear.barrier > Math.max(0.1, endpoints),
    },
    {
      claim: 'a trained Bezier curve joins them at far lower loss',
      evidence: `curve barrier ${f3(curve.barrier)} vs linear ${f3(linear.barrier)} (${(linear.barrier / Math.max(curve.barrier, 1e-9)).toFixed(1)}× lower)`,
      holds: curve.barrier < linear.barrier / 4,
    },
    {
      claim: 'the large-batch minimum is sharper (larger top Hessian eigenvalue)',
      evidence: `λ_max ${f3(large)} (batch ${result.options.largeBatch}) vs ${f3(small)} (batch ${result.options.smallBatch})`,
      holds: large > small,
    },
  ];
}
