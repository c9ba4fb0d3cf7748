/**
 * One line of an error message fit for a notice: the first line only (no stack), without Node's
 * `imported from <file>` tail, and with every absolute path or file URL cut to its last segment,
 * so the install layout of the app never shows.
 *
 * @example
 * ```ts
 * conciseReason("Cannot find package 'webgpu' imported from /app/node_modules/x/dist/chunk.js");
 * // "Cannot find package 'webgpu'"
 * ```
 */
export function conciseReason(message: string): string {
  const firstLine = message.split(/\r?\n/, 1)[0] ?? '';
  return firstLine
    .replace(/\s+imported from\s+\S+/g, '')
    .replace(ABSOLUTE_PATH, (path) => lastSegment(path))
    .trim();
}

/** `file://…`, `/…` (not inside a word or a URL) or `C:\…`, up to a space, a quote or a bracket. */
const ABSOLUTE_PATH = /(?:file:\/\/\/?|(?<![\w.:/])\/|\b[A-Za-z]:\\)[^\s'"`()]+/g;

function lastSegment(path: string): string {
  const parts = path.split(/[\\/]/).filter(Boolean);
  return parts[parts.length - 1] ?? '';
}
