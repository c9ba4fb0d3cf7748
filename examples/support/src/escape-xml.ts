/**
 * Escapes `&`, `<`, `>`, `"` and `'` as XML entities, so that any text is safe both in SVG
 * text and in a quoted attribute value.
 *
 * @param text - Any string.
 * @example
 * ```ts
 * escapeXml('loss < 0.1 & "fast"'); // 'loss &lt; 0.1 &amp; &quot;fast&quot;'
 * ```
 */
export function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
