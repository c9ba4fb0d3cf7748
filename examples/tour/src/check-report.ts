import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { escapeXml } from '@descent/example-support';
import { SECTION_IDS } from './section';

/**
 * Checks a tour's output folder and returns what is wrong (an empty list when nothing is):
 * `report.json` and `report.html` exist; the JSON parses and has one section for each of the six
 * ids (or for each id of the `only` list it records), each with a boolean `reproduced`, a
 * non-empty `evidence` and at least one finite number somewhere in `numbers`; the HTML holds
 * every section's title.
 *
 * @param dir - The folder `pnpm tour --out` wrote to.
 * @example
 * ```ts
 * const problems = checkReport('tour-report');
 * if (problems.length > 0) console.error(problems.join('\n'));
 * ```
 */
export function checkReport(dir: string): string[] {
  const jsonPath = join(dir, 'report.json');
  const htmlPath = join(dir, 'report.html');
  const missing = [jsonPath, htmlPath].filter((p) => !existsSync(p)).map((p) => `${p} is missing`);
  if (missing.length > 0) return missing;
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(jsonPath, 'utf8'));
  } catch (error) {
    return [`${jsonPath} is not JSON: ${(error as Error).message}`];
  }
  if (!isObject(report) || !Array.isArray(report.sections)) {
    return [`${jsonPath} has no sections list`];
  }
  const html = readFileSync(htmlPath, 'utf8');
  const expected = Array.isArray(report.only) ? (report.only as unknown[]) : [...SECTION_IDS];
  const sections = report.sections as unknown[];
  const problems: string[] = [];
  const ids = sections.map((s) => (isObject(s) ? s.id : undefined));
  for (const id of expected) {
    const count = ids.filter((i) => i === id).length;
    if (count !== 1)
      problems.push(`report.json has ${count} sections with id ${JSON.stringify(id)}, expected 1`);
  }
  for (const id of ids) {
    if (!expected.includes(id))
      problems.push(`report.json has an unexpected section id ${JSON.stringify(id)}`);
  }
  for (const [i, s] of sections.entries()) {
    problems.push(...sectionProblems(s, i, html));
  }
  return problems;
}

function sectionProblems(section: unknown, index: number, html: string): string[] {
  if (!isObject(section)) return [`report.json sections[${index}] is not an object`];
  const name = `section ${typeof section.id === 'string' ? section.id : `[${index}]`}`;
  const problems: string[] = [];
  if (typeof section.reproduced !== 'boolean')
    problems.push(`${name}: reproduced is not a boolean`);
  if (typeof section.evidence !== 'string' || section.evidence.trim() === '') {
    problems.push(`${name}: evidence is empty`);
  }
  if (!hasFiniteNumber(section.numbers)) problems.push(`${name}: numbers holds no finite number`);
  if (typeof section.title !== 'string' || section.title === '') {
    problems.push(`${name}: title is missing`);
  } else if (!html.includes(escapeXml(section.title))) {
    problems.push(`${name}: report.html does not hold its title ${JSON.stringify(section.title)}`);
  }
  return problems;
}

function hasFiniteNumber(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.some(hasFiniteNumber);
  if (isObject(value)) return Object.values(value).some(hasFiniteNumber);
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function main(args: string[]): number {
  if (args.length !== 1) {
    console.error('usage: tsx src/check-report.ts <dir>  (the folder pnpm tour wrote)');
    return 1;
  }
  const dir = resolve(process.env.INIT_CWD ?? process.cwd(), args[0]!);
  const problems = checkReport(dir);
  if (problems.length > 0) {
    console.error(`${dir}: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    for (const p of problems) console.error(`  ${p}`);
    return 1;
  }
  console.log(`${dir}: report.json and report.html are complete`);
  return 0;
}

if (
  process.argv[1] !== undefined &&
  import.meta.url === pathToFileURL(resolve(process.argv[1])).href
) {
  process.exitCode = main(process.argv.slice(2));
}
