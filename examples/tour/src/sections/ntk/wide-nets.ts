import { type Net, wideMlp } from '@descent/nets';
import { type KernelFn, dense, erf, serial } from '@descent/ntk';

/**
 * Every net's architecture: erf hidden layers in the NTK parameterization, σ_w = 1.5 and
 * σ_b = 0.05 (neural-tangents' cookbook values; a saturating nonlinearity keeps the outputs of
 * the initial nets small).
 */
export const ARCHITECTURE = { weightStd: 1.5, biasStd: 0.05 } as const;

/** A finite MLP of one input and one output: `wideMlp` in the NTK parameterization. */
export function finiteNet(width: number, depth: number, seed: number): Net {
  return wideMlp({
    inputDim: 1,
    width,
    depth,
    activation: 'erf',
    parameterization: 'ntk',
    seed,
    ...ARCHITECTURE,
  });
}

/** The same architecture at infinite width: its `kernelFn` gives the analytic NNGP and NTK. */
export function infiniteNet(depth: number): { kernelFn: KernelFn } {
  const layer = () => dense({ ...ARCHITECTURE, parameterization: 'ntk' });
  const hidden = Array.from({ length: depth }, () => [layer(), erf()]).flat();
  return serial(...hidden, layer());
}
