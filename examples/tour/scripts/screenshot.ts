/**
 * `pnpm --filter @descent/example-tour screenshot [report dir] [png]`: the top of a tour report as
 * a PNG, taken with headless Chromium (Debian's `chromium` package, which scripts/setup.sh
 * installs; nothing is downloaded). Defaults: `tour-report/` at the repository root, written to
 * `examples/tour/report-screenshot.png` (the picture in the README).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const tourDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const base = process.env.INIT_CWD ?? process.cwd();
const reportDir = resolve(base, process.argv[2] ?? join(tourDir, '..', '..', 'tour-report'));
const png = resolve(base, process.argv[3] ?? join(tourDir, 'report-screenshot.png'));
const html = join(reportDir, 'report.html');
if (!existsSync(html)) {
  console.error(`screenshot: no ${html}; run pnpm tour first.`);
  process.exit(1);
}
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const browser = await chromium.launch({
  executablePath,
  args: ['--no-sandbox', '--disable-background-networking', '--disable-gpu'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 1400 } });
  await page.goto(pathToFileURL(html).href);
  await page.screenshot({ path: png, fullPage: false });
  console.log(`screenshot: ${png}`);
} finally {
  await browser.close();
}
