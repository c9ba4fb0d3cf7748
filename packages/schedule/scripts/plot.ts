/**
 * Draws every schedule of @descent/schedule into docs/schedules.svg: one `lineChartSvg` chart
 * (Observable Plot, through @descent/example-support) per schedule, laid out in a grid. Run
 * from the repository root or the package:
 *
 *   npx tsx --conditions=@descent/source packages/schedule/scripts/plot.ts
 */
import { writeFileSync } from 'node:fs';
import { dirname, join as joinPath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { lineChartSvg } from '@descent/example-support';
import {
  constant,
  cosineDecay,
  cyclic,
  cyclicMomentum,
  exponentialDecay,
  join,
  linearScaling,
  linearSchedule,
  linearWarmup,
  oneCycle,
  oneCycleMomentum,
  piecewiseConstant,
  piecewiseInterpolate,
  polynomialDecay,
  reduceOnPlateau,
  sample,
  sgdr,
  warmupCosineDecay,
} from '@descent/schedule';

interface Series {
  name: string;
  values: number[];
  dashed?: boolean;
}
interface Panel {
  title: string;
  caption: string;
  /** What the values are: the y axis label. */
  quantity: 'learning rate' | 'momentum';
  series: Series[];
}

const STEPS = 1000;
const lr = (values: number[], name = 'lr'): Series => ({ name, values });
const variant = (name: string, values: number[]): Series => ({ name, values, dashed: true });
const steps = (s: (t: number) => number) => sample(s, STEPS + 1);

/** reduceOnPlateau fed a noisy loss that stalls: evaluated every 25 steps. */
function plateauValues(): number[] {
  const plateau = reduceOnPlateau({ factor: 0.5, patience: 2, initValue: 0.1, minValue: 0.005 });
  const lrOf = plateau.schedule();
  return Array.from({ length: STEPS + 1 }, (_, t) => {
    const v = lrOf(t);
    if (t > 0 && t % 25 === 0) plateau.update(Math.max(0.3, 1 - t / 400) + 0.01 * Math.sin(t));
    return v;
  });
}

const base = cosineDecay({ initValue: 0.1, decaySteps: STEPS });

const PANELS: Panel[] = [
  {
    title: 'constant',
    caption: 'constant(0.1)',
    quantity: 'learning rate',
    series: [lr(steps(constant(0.1)))],
  },
  {
    title: 'piecewiseConstant',
    caption: '0.1, ×0.5 at step 300, ×0.2 at 600',
    quantity: 'learning rate',
    series: [
      lr(steps(piecewiseConstant({ initValue: 0.1, boundariesAndScales: { 300: 0.5, 600: 0.2 } }))),
    ],
  },
  {
    title: 'piecewiseInterpolate',
    caption: "{300: 0.5, 600: 0.2}, 'cosine' / 'linear'",
    quantity: 'learning rate',
    series: [
      lr(
        steps(
          piecewiseInterpolate({
            initValue: 0.1,
            boundariesAndScales: { 300: 0.5, 600: 0.2 },
            interpolation: 'cosine',
          }),
        ),
        'cosine',
      ),
      variant(
        'linear',
        steps(
          piecewiseInterpolate({
            initValue: 0.1,
            boundariesAndScales: { 300: 0.5, 600: 0.2 },
            interpolation: 'linear',
          }),
        ),
      ),
    ],
  },
  {
    title: 'exponentialDecay',
    caption: 'γ = 0.5 per 200 steps, staircase / smooth',
    quantity: 'learning rate',
    series: [
      lr(
        steps(
          exponentialDecay({
            initValue: 0.1,
            transitionSteps: 200,
            decayRate: 0.5,
            staircase: true,
          }),
        ),
        'staircase',
      ),
      variant(
        'smooth',
        steps(exponentialDecay({ initValue: 0.1, transitionSteps: 200, decayRate: 0.5 })),
      ),
    ],
  },
  {
    title: 'polynomialDecay',
    caption: 'power 2 / 0.5, from step 100',
    quantity: 'learning rate',
    series: [
      lr(
        steps(
          polynomialDecay({
            initValue: 0.1,
            endValue: 0.001,
            power: 2,
            transitionSteps: 800,
            transitionBegin: 100,
          }),
        ),
        'power 2',
      ),
      variant(
        'power 0.5',
        steps(
          polynomialDecay({
            initValue: 0.1,
            endValue: 0.001,
            power: 0.5,
            transitionSteps: 800,
            transitionBegin: 100,
          }),
        ),
      ),
    ],
  },
  {
    title: 'linearSchedule',
    caption: '0.1 → 0.01 over steps 200…800',
    quantity: 'learning rate',
    series: [
      lr(
        steps(
          linearSchedule({
            initValue: 0.1,
            endValue: 0.01,
            transitionSteps: 600,
            transitionBegin: 200,
          }),
        ),
      ),
    ],
  },
  {
    title: 'cosineDecay',
    caption: 'α = 0.1; exponent 1 / 2',
    quantity: 'learning rate',
    series: [
      lr(steps(cosineDecay({ initValue: 0.1, decaySteps: 800, alpha: 0.1 })), 'exponent 1'),
      variant(
        'exponent 2',
        steps(cosineDecay({ initValue: 0.1, decaySteps: 800, alpha: 0.1, exponent: 2 })),
      ),
    ],
  },
  {
    title: 'warmupCosineDecay',
    caption: '0 → 0.1 in 100 steps, → 0.005 at 1000',
    quantity: 'learning rate',
    series: [
      lr(
        steps(
          warmupCosineDecay({
            initValue: 0,
            peakValue: 0.1,
            warmupSteps: 100,
            decaySteps: 1000,
            endValue: 0.005,
          }),
        ),
      ),
    ],
  },
  {
    title: 'sgdr',
    caption: 'T₀ = 100, T_mult = 2 (restarts 100, 300, 700)',
    quantity: 'learning rate',
    series: [lr(steps(sgdr({ initValue: 0.1, t0: 100, tMult: 2, etaMin: 0.001 })))],
  },
  {
    title: "cyclic 'triangular'",
    caption: '0.01 ↔ 0.1, stepSizeUp 100',
    quantity: 'learning rate',
    series: [lr(steps(cyclic({ baseValue: 0.01, maxValue: 0.1, stepSizeUp: 100 })))],
  },
  {
    title: "cyclic 'triangular2'",
    caption: 'amplitude halves every cycle',
    quantity: 'learning rate',
    series: [
      lr(steps(cyclic({ baseValue: 0.01, maxValue: 0.1, stepSizeUp: 100, mode: 'triangular2' }))),
    ],
  },
  {
    title: "cyclic 'expRange'",
    caption: 'amplitude × 0.997^t',
    quantity: 'learning rate',
    series: [
      lr(
        steps(
          cyclic({
            baseValue: 0.01,
            maxValue: 0.1,
            stepSizeUp: 100,
            mode: 'expRange',
            gamma: 0.997,
          }),
        ),
      ),
    ],
  },
  {
    title: 'cyclicMomentum',
    caption: '0.85 ↔ 0.95, inverse to cyclic',
    quantity: 'momentum',
    series: [
      lr(
        steps(cyclicMomentum({ baseMomentum: 0.85, maxMomentum: 0.95, stepSizeUp: 100 })),
        'momentum',
      ),
    ],
  },
  {
    title: 'oneCycle',
    caption: "two-phase 'cos' / three-phase 'linear'",
    quantity: 'learning rate',
    series: [
      lr(steps(oneCycle({ maxValue: 0.1, totalSteps: STEPS })), 'two-phase'),
      variant(
        'three-phase',
        steps(oneCycle({ maxValue: 0.1, totalSteps: STEPS, anneal: 'linear', threePhase: true })),
      ),
    ],
  },
  {
    title: 'oneCycleMomentum',
    caption: '0.95 → 0.85 → 0.95',
    quantity: 'momentum',
    series: [
      lr(steps(oneCycleMomentum({ totalSteps: STEPS })), 'two-phase'),
      variant(
        'three-phase',
        steps(oneCycleMomentum({ totalSteps: STEPS, anneal: 'linear', threePhase: true })),
      ),
    ],
  },
  {
    title: 'linearWarmup',
    caption: 'cosineDecay with a 150-step warmup',
    quantity: 'learning rate',
    series: [
      lr(steps(linearWarmup(base, { warmupSteps: 150 })), 'warmup'),
      variant('no warmup', steps(base)),
    ],
  },
  {
    title: 'join',
    caption: 'linear warmup, then sgdr from step 100',
    quantity: 'learning rate',
    series: [
      lr(
        steps(
          join(
            [
              linearSchedule({ initValue: 0, endValue: 0.1, transitionSteps: 100 }),
              sgdr({ initValue: 0.1, t0: 300, etaMin: 0.01 }),
            ],
            [100],
          ),
        ),
      ),
    ],
  },
  {
    title: 'linearScaling',
    caption: 'cosineDecay tuned at batch 256, run at 512',
    quantity: 'learning rate',
    series: [
      lr(
        steps(linearScaling({ baseValue: base, baseBatchSize: 256, batchSize: 512 })),
        'batch 512',
      ),
      variant('batch 256', steps(base)),
    ],
  },
  {
    title: 'reduceOnPlateau',
    caption: 'factor 0.5, patience 2, a stalling loss',
    quantity: 'learning rate',
    series: [lr(plateauValues())],
  },
];

const COLUMNS = 3;
const W = 440;
const H = 250;
/** Largest distance, as a fraction of the panel's value range, by which a dropped point may miss the line. */
const TOLERANCE = 0.001;

/**
 * The points `[t, v]` of a series with those dropped that lie within `TOLERANCE` of the line
 * through their neighbours (Ramer–Douglas–Peucker on `t / STEPS` and `v / span`), so a flat
 * stretch is two points and the figure stays small.
 */
function simplify(points: Array<[number, number]>, span: number): Array<[number, number]> {
  if (points.length < 3) return points;
  const scaled = ([t, v]: [number, number]) => [t / STEPS, v / span] as const;
  const [x0, y0] = scaled(points[0]!);
  const [x1, y1] = scaled(points[points.length - 1]!);
  const len = Math.hypot(x1 - x0, y1 - y0) || 1;
  let worst = 0;
  let index = 0;
  for (let i = 1; i < points.length - 1; i++) {
    const [x, y] = scaled(points[i]!);
    const d = Math.abs((y1 - y0) * x - (x1 - x0) * y + x1 * y0 - y1 * x0) / len;
    if (d > worst) {
      worst = d;
      index = i;
    }
  }
  if (worst <= TOLERANCE) return [points[0]!, points[points.length - 1]!];
  return [
    ...simplify(points.slice(0, index + 1), span).slice(0, -1),
    ...simplify(points.slice(index), span),
  ];
}

function chart({ title, caption, quantity, series }: Panel): string {
  const all = series.flatMap((s) => s.values);
  const span = Math.max(...all) - Math.min(...all) || 1;
  return lineChartSvg({
    title,
    subtitle: caption,
    xLabel: 'step',
    yLabel: quantity,
    width: W,
    height: H,
    series: series.map((s) => ({
      name: s.name,
      points: simplify(
        s.values.map((v, t) => [t, v]),
        span,
      ),
      style: 'line',
      ...(s.dashed ? { dashed: true } : {}),
    })),
  });
}

/** A chart's standalone SVG as a nested one at `(x, y)` of the figure. */
function placed(svg: string, x: number, y: number): string {
  return svg
    .trim()
    .replace(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, `<svg x="${x}" y="${y}"`);
}

const rows = Math.ceil(PANELS.length / COLUMNS);
const svg = [
  `<svg xmlns="http://www.w3.org/2000/svg" width="${COLUMNS * W}" height="${rows * H}" viewBox="0 0 ${COLUMNS * W} ${rows * H}" font-family="sans-serif">`,
  `<title>The schedules of @descent/schedule over ${STEPS} steps (generated by scripts/plot.ts)</title>`,
  `<rect width="100%" height="100%" fill="#ffffff"/>`,
  ...PANELS.map((panel, i) => placed(chart(panel), (i % COLUMNS) * W, Math.floor(i / COLUMNS) * H)),
  '</svg>',
  '',
].join('\n');

const out = joinPath(dirname(fileURLToPath(import.meta.url)), '..', 'docs', 'schedules.svg');
writeFileSync(out, svg);
console.log(`wrote ${out} (${PANELS.length} charts, ${(svg.length / 1024).toFixed(1)} KiB)`);
