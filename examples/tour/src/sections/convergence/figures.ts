import { lineChartSvg } from '@descent/example-support';
import type { Figure } from '../../section';
import type { ConvergenceSettings, SchemeRun } from './experiment';
import { SCHEME_LABELS } from './init-schemes';

/** `[layer, value]` for every layer whose value is > 0 (a log axis has no place for 0). */
function perLayer(values: number[]): Array<[number, number]> {
  return values.flatMap((v, i): Array<[number, number]> => (v > 0 ? [[i + 1, v]] : []));
}

/**
 * The layers (1-based) whose value is exactly 0, as text: `layer 3`, `layers 19–20`, or
 * `layers 1, 4–5`; `null` when there are none.
 */
export function zeroLayers(values: number[]): string | null {
  const layers = values.flatMap((v, i) => (v === 0 ? [i + 1] : []));
  if (layers.length === 0) return null;
  const ranges: Array<[number, number]> = [];
  for (const layer of layers) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last[1] === layer - 1) last[1] = layer;
    else ranges.push([layer, layer]);
  }
  const text = ranges.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join(', ');
  return `${layers.length === 1 ? 'layer' : 'layers'} ${text}`;
}

function underflowNote(runs: SchemeRun[], pick: (r: SchemeRun) => number[]): string {
  const notes = runs.flatMap((r) => {
    const zeros = zeroLayers(pick(r));
    return zeros === null
      ? []
      : [`${SCHEME_LABELS[r.scheme]} is exactly 0 in float32 at ${zeros} (not drawn)`];
  });
  return notes.length === 0 ? '' : `; ${notes.join('; ')}`;
}

/** Forward signal, backward gradient norm and training loss, one series per scheme. */
export function convergenceFigures(runs: SchemeRun[], settings: ConvergenceSettings): Figure[] {
  const net = `${settings.depth}-layer ReLU MLP of width ${settings.width}`;
  const drawable = (points: Array<[number, number]>) => points.length > 0;
  const forward = runs
    .map((r) => ({ name: SCHEME_LABELS[r.scheme], points: perLayer(r.signal.forward) }))
    .filter((s) => drawable(s.points));
  const backward = runs
    .map((r) => ({ name: SCHEME_LABELS[r.scheme], points: perLayer(r.signal.backward) }))
    .filter((s) => drawable(s.points));
  return [
    {
      caption: `Forward signal at initialization: the second moment of each layer's pre-activations relative to the first layer's, ${net}, on a batch of ${settings.probeExamples} digits${underflowNote(runs, (r) => r.signal.forward)}.`,
      svg: lineChartSvg({
        title: 'Forward signal vs depth',
        subtitle: net,
        xLabel: 'layer',
        yLabel: 'E[z²] / E[z₁²]',
        yScale: 'log',
        series: forward,
      }),
    },
    {
      caption: `Backward signal at initialization: the norm of the gradient of the summed outputs at each layer's pre-activations${underflowNote(runs, (r) => r.signal.backward)}.`,
      svg: lineChartSvg({
        title: 'Gradient norm vs depth',
        subtitle: net,
        xLabel: 'layer',
        yLabel: '‖∂L/∂z‖',
        yScale: 'log',
        series: backward,
      }),
    },
    {
      caption: `Training loss (mean cross-entropy on each mini-batch of ${settings.batchSize}) over ${settings.steps} SGD steps, learning rate ${settings.learningRate}, momentum ${settings.momentum}, the same batches for every initialization.`,
      svg: lineChartSvg({
        title: 'Training loss vs step',
        subtitle: net,
        xLabel: 'step',
        yLabel: 'cross-entropy',
        series: runs.map((r) => ({
          name: SCHEME_LABELS[r.scheme],
          points: r.losses.map((loss, i): [number, number] => [i + 1, loss]),
          style: 'line',
        })),
      }),
    },
  ];
}
