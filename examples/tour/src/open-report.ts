import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

/** What decides whether and how the report can be opened. */
export interface OpenEnvironment {
  platform: NodeJS.Platform;
  env: Record<string, string | undefined>;
  /** Whether stdout is a terminal (a person is watching). */
  isTTY: boolean;
}

/**
 * The command that opens `file` in the default browser, or `null` where nobody could see it: in
 * CI, when the output is not a terminal, or on Linux without a graphical session (`DISPLAY` /
 * `WAYLAND_DISPLAY`), e.g. over SSH or in a container.
 *
 * @example
 * ```ts
 * openCommand('/r/report.html', { platform: 'darwin', env: {}, isTTY: true }); // ['open', ['/r/report.html']]
 * ```
 */
export function openCommand(file: string, where: OpenEnvironment): [string, string[]] | null {
  if (!where.isTTY || where.env.CI === 'true' || where.env.CI === '1') return null;
  switch (where.platform) {
    case 'darwin':
      return ['open', [file]];
    case 'win32':
      return ['cmd', ['/c', 'start', '""', file]];
    default:
      if (!where.env.DISPLAY && !where.env.WAYLAND_DISPLAY) return null;
      return ['xdg-open', [file]];
  }
}

/**
 * Opens `file` in the default browser where {@link openCommand} finds a way, detached and silent
 * (a missing opener is not an error: the path is printed anyway).
 *
 * @returns whether an opener was started.
 */
export function openReport(file: string, where: OpenEnvironment): boolean {
  const command = openCommand(file, where);
  if (command === null) return false;
  try {
    const child = spawn(command[0], command[1], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
    return true;
  } catch {
    return false;
  }
}

/** `file://…` for a path, so a terminal makes it clickable. */
export function fileUrl(file: string): string {
  return pathToFileURL(file).href;
}
