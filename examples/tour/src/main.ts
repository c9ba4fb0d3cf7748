import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BackendInfo, useBackend } from '@descent/core';
import { type TourOptions, USAGE, parseTourArgs } from './cli-options';
import { fileUrl, openReport } from './open-report';
import { tourProgress } from './progress';
import { renderReportHtml } from './report/html';
import { renderReportJson } from './report/json';
import { reproducedCount, summaryTable } from './report/summary-table';
import { runTour } from './run-tour';
import { SECTION_IDS, type Section } from './section';
import { SECTIONS } from './sections/registry';

const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
// Without a GPU, Dawn finds SwiftShader's Vulkan driver (Debian's chromium package) instead of
// printing that it found none; useBackend() then ranks that software adapter behind wasm.
if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) {
  process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
}
process.env.XDG_RUNTIME_DIR ??= '/tmp';

const parsed = parseTourArgs(process.argv.slice(2), process.env.INIT_CWD ?? process.cwd());
if (!parsed.ok) {
  console.error(`pnpm tour: ${parsed.error}`);
  process.exit(1);
}
const options = parsed.options;
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
process.exitCode = await tour(options);

async function tour(options: TourOptions): Promise<number> {
  let backend: BackendInfo;
  try {
    backend = await (options.backend === null ? useBackend() : useBackend(options.backend));
  } catch (error) {
    console.error(`pnpm tour: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const progress = tourProgress(process.stdout, options.quick);
  try {
    const sections = SECTIONS.filter((s) => options.only.includes(s.id));
    console.log(headerLine(backend, options, sections));
    const subset = options.only.length < SECTION_IDS.length ? { only: options.only } : {};
    const run = {
      ...(await runTour({
        sections,
        seed: options.seed,
        quick: options.quick,
        backend: backend.name,
        ...(backend.adapter === undefined ? {} : { adapter: backend.adapter }),
        reporter: progress,
      })),
      ...subset,
    };
    progress.stop();
    mkdirSync(options.out, { recursive: true });
    const html = join(options.out, 'report.html');
    const json = join(options.out, 'report.json');
    writeFileSync(html, renderReportHtml(run));
    writeFileSync(json, renderReportJson(run));
    console.log(`\n${summaryTable(run)}\n`);
    console.log(`${reproducedCount(run.results)} in ${run.seconds.toFixed(1)} s.`);
    console.log(`report: ${fileUrl(html)}\nnumbers: ${json}`);
    const where = {
      platform: process.platform,
      env: process.env,
      isTTY: process.stdout.isTTY === true,
    };
    if (options.open && openReport(html, where)) console.log('(opened in your browser)');
    return 0;
  } catch (error) {
    progress.stop();
    console.error(
      `\npnpm tour crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  }
}

/** One line: backend (and adapter), seed, quick or full, the sections and the expected time. */
function headerLine(
  backend: BackendInfo,
  options: TourOptions,
  sections: readonly Section[],
): string {
  const detail =
    backend.adapter ?? (backend.simd === undefined ? '' : backend.simd ? 'SIMD' : 'no SIMD');
  const expected = sections.reduce((sum, s) => sum + s.expectedSeconds(options.quick), 0);
  return (
    `descent tour: backend ${backend.name}${detail === '' ? '' : ` (${detail})`}, seed ${options.seed}, ` +
    `${options.quick ? 'quick' : 'full'} run of ${sections.length} section${sections.length === 1 ? '' : 's'}, ` +
    `expected about ${formatExpected(expected)} on wasm`
  );
}

function formatExpected(seconds: number): string {
  return seconds < 90 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}
