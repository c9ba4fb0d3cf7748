import { JSDOM } from 'jsdom';

const SVG_NS = 'http://www.w3.org/2000/svg';
/** Attributes that hold coordinates; their numbers are rounded so the files stay small and stable. */
const COORDINATE_ATTRIBUTES = [
  'x',
  'y',
  'x1',
  'x2',
  'y1',
  'y2',
  'cx',
  'cy',
  'r',
  'width',
  'height',
  'd',
  'transform',
  'points',
];
const LONG_DECIMAL = /-?\d+\.\d{3,}/g;
const HAS_LONG_DECIMAL = /\d\.\d{3}/;
const PLOT_CLIP_ID = /plot-clip-\d+/g;
/** Heading block heights: title only, and title with subtitle. */
const HEADING = { title: 36, subtitle: 56 };

let window: JSDOM['window'] | undefined;

/** The DOM that Observable Plot draws into: one jsdom window for the process, made on first use. */
export function plotDocument(): Document {
  window ??= new JSDOM('').window;
  return window.document;
}

/** A Plot-drawn SVG placed at `(x, y)` in the figure. */
export interface Panel {
  svg: SVGSVGElement;
  x: number;
  y: number;
}

/** Options of {@link figureSvg}. */
export interface FigureOptions {
  title: string;
  subtitle: string | undefined;
  width: number;
  height: number;
  panels: Panel[];
}

/** Height of the heading block: the title and, when there is one, the subtitle. */
export function headingHeight(subtitle: string | undefined): number {
  return subtitle === undefined ? HEADING.title : HEADING.subtitle;
}

/**
 * One standalone SVG document: a white background, the title (bold, centred) and subtitle,
 * then the panels (each a Plot chart) nested at their offsets. Text is escaped by the XML
 * serializer; coordinates are rounded to 2 decimals.
 */
export function figureSvg(options: FigureOptions): string {
  const document = plotDocument();
  const { width, height } = options;
  const root = svgElement(document, 'svg', {
    width,
    height,
    viewBox: `0 0 ${width} ${height}`,
    'font-family': 'sans-serif',
  });
  root.append(
    textElement(document, 'title', {}, options.title),
    svgElement(document, 'rect', { x: 0, y: 0, width, height, fill: 'white' }),
    textElement(
      document,
      'text',
      { x: width / 2, y: 24, 'text-anchor': 'middle', 'font-size': 16, 'font-weight': 'bold' },
      options.title,
    ),
  );
  if (options.subtitle !== undefined) {
    root.append(
      textElement(
        document,
        'text',
        { x: width / 2, y: 44, 'text-anchor': 'middle', 'font-size': 12, fill: '#555555' },
        options.subtitle,
      ),
    );
  }
  for (const panel of options.panels) {
    panel.svg.setAttribute('x', String(panel.x));
    panel.svg.setAttribute('y', String(panel.y));
    panel.svg.setAttribute('font-family', 'sans-serif');
    panel.svg.setAttribute('font-size', '11');
    root.append(panel.svg);
  }
  roundCoordinates(root);
  return `${stableClipIds(new window!.XMLSerializer().serializeToString(root))}\n`;
}

/**
 * Plot numbers its clip paths with a counter across the process, so the same chart would get
 * other ids on a second call. They become a hash of the document (unique between figures that
 * differ, should several be inlined in one page) and their order in it.
 */
function stableClipIds(svg: string): string {
  const prefix = `clip-${fnv1a(svg.replace(PLOT_CLIP_ID, 'plot-clip'))}`;
  const renamed = new Map<string, string>();
  return svg.replace(PLOT_CLIP_ID, (id) => {
    if (!renamed.has(id)) renamed.set(id, `${prefix}-${renamed.size + 1}`);
    return renamed.get(id)!;
  });
}

/** The 32-bit FNV-1a hash of the string's UTF-16 code units, in hex. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let k = 0; k < text.length; k++) {
    hash ^= text.charCodeAt(k);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

function svgElement(
  document: Document,
  name: string,
  attributes: Record<string, string | number>,
): SVGElement {
  const element = document.createElementNS(SVG_NS, name) as SVGElement;
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  return element;
}

function textElement(
  document: Document,
  name: string,
  attributes: Record<string, string | number>,
  text: string,
): SVGElement {
  const element = svgElement(document, name, attributes);
  element.textContent = text;
  return element;
}

/** Rounds every number with more than 2 decimals in coordinate attributes, `-0` made `0`. */
function roundCoordinates(root: Element): void {
  for (const element of [root, ...root.querySelectorAll('*')]) {
    for (const name of COORDINATE_ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value === null || !HAS_LONG_DECIMAL.test(value)) continue;
      element.setAttribute(
        name,
        value.replace(LONG_DECIMAL, (n) => String(Math.round(Number(n) * 100) / 100 + 0)),
      );
    }
  }
}
