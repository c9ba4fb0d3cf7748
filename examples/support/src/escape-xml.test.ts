import { describe, expect, it } from 'vitest';
import { escapeXml } from './escape-xml';

describe('escapeXml', () => {
  it('escapes the five XML special characters, & first, and leaves the rest alone', () => {
    expect(escapeXml(`a < b & c > "d" 'e'`)).toBe(
      'a &lt; b &amp; c &gt; &quot;d&quot; &apos;e&apos;',
    );
    expect(escapeXml('&lt;')).toBe('&amp;lt;');
    expect(escapeXml('σ² ± 1 %')).toBe('σ² ± 1 %');
  });
});
