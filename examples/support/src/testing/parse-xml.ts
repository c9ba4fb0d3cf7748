import { expect } from 'vitest';

/** One element of a parsed SVG: its name, attributes, the text directly inside it and its child elements. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: XmlElement[];
}

const TAG = /^<(\/)?([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"]*")*)\s*(\/)?>$/;
const ATTR = /([\w:-]+)="([^"]*)"/g;
const BAD_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos|#\d+);)/;

/**
 * A minimal XML well-formedness check: every token is a tag or text, attributes are quoted,
 * every `&` starts a known entity, tags nest and balance, and there is one root element.
 * Returns the elements in document order, text unescaped.
 */
export function parseXml(xml: string): XmlElement[] {
  const tokens = xml.match(/<[^>]*>|[^<]+/g) ?? [];
  expect(tokens.join(''), 'a "<" without its ">"').toBe(xml);
  const elements: XmlElement[] = [];
  const open: XmlElement[] = [];
  let roots = 0;
  for (const token of tokens) {
    expect(token, `raw "&" in ${token}`).not.toMatch(BAD_AMPERSAND);
    if (!token.startsWith('<')) {
      if (open.length === 0) expect(token.trim(), 'text outside the root').toBe('');
      else open[open.length - 1]!.text += unescapeXml(token);
      continue;
    }
    const m = TAG.exec(token);
    expect(m, `malformed tag ${token}`).not.toBeNull();
    const [, closing, name, attrText, selfClosing] = m!;
    if (closing) {
      expect(open.pop()?.name, `unbalanced </${name}>`).toBe(name);
      continue;
    }
    if (open.length === 0) roots++;
    const attrs: Record<string, string> = {};
    for (const [, key, value] of attrText!.matchAll(ATTR)) {
      expect(attrs[key!], `duplicate attribute ${key}`).toBeUndefined();
      attrs[key!] = unescapeXml(value!);
    }
    const element: XmlElement = { name: name!, attrs, text: '', children: [] };
    open[open.length - 1]?.children.push(element);
    elements.push(element);
    if (!selfClosing) open.push(element);
  }
  expect(
    open.map((e) => e.name),
    'unclosed tags',
  ).toEqual([]);
  expect(roots).toBe(1);
  return elements;
}

function unescapeXml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

/** The elements called `name`, in document order. */
export function named(elements: XmlElement[], name: string): XmlElement[] {
  return elements.filter((e) => e.name === name);
}

/** The element and everything inside it, in document order. */
export function descendants(element: XmlElement): XmlElement[] {
  return [element, ...element.children.flatMap(descendants)];
}

/** Observable Plot's groups with this `aria-label` (`'line'`, `'dot'`, `'x-axis tick label'`, …), in document order. */
export function plotGroups(elements: XmlElement[], label: string): XmlElement[] {
  return elements.filter((e) => e.name === 'g' && e.attrs['aria-label'] === label);
}

/** The `[x, y]` of a `translate(x,y)` transform (Plot places ticks and labels so). */
export function translation(element: XmlElement): [number, number] {
  const m = /translate\(([-\d.e]+),\s*([-\d.e]+)\)/.exec(element.attrs.transform ?? '');
  expect(m, `no translate in ${element.attrs.transform}`).not.toBeNull();
  return [Number(m![1]), Number(m![2])];
}

/**
 * The subpaths of an SVG path's `d` (`M`, `L`, `Z` commands with absolute coordinates, as
 * Plot writes lines, areas and contours), as lists of vertices.
 */
export function subpaths(d: string): [number, number][][] {
  return d
    .split('M')
    .filter((s) => s.trim() !== '')
    .map((s) =>
      s
        .replace(/Z/g, '')
        .split('L')
        .map((p) => p.trim().split(/[ ,]/).map(Number) as [number, number]),
    );
}
