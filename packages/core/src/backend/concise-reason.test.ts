import { describe, expect, it } from 'vitest';
import { conciseReason } from './concise-reason';

describe('conciseReason', () => {
  it("drops Node's `imported from` tail", () => {
    expect(
      conciseReason(
        "Cannot find package 'webgpu' imported from /work/main/packages/core/dist/chunk-QJMJDOKO.js",
      ),
    ).toBe("Cannot find package 'webgpu'");
  });

  it('keeps the first line only', () => {
    expect(conciseReason('boom\n    at f (/a/b.js:1:2)\n    at g (/a/c.js:3:4)')).toBe('boom');
  });

  it('cuts absolute paths and file URLs to their last segment', () => {
    expect(
      conciseReason(
        "ENOENT: no such file or directory, open '/srv/app/wasm/tfjs-backend-wasm.wasm'",
      ),
    ).toBe("ENOENT: no such file or directory, open 'tfjs-backend-wasm.wasm'");
    expect(conciseReason('failed to load file:///srv/app/dawn.node')).toBe(
      'failed to load dawn.node',
    );
    expect(conciseReason('cannot open C:\\app\\node_modules\\webgpu\\dawn.node')).toBe(
      'cannot open dawn.node',
    );
  });

  it('leaves package names, URLs and plain text alone', () => {
    const text =
      "not registered: add `import '@tensorflow/tfjs-backend-wasm';` (see https://example.org/a/b)";
    expect(conciseReason(text)).toBe(text);
  });
});
