import { describe, expect, it } from 'vitest';
import { fileUrl, openCommand } from './open-report';

const at = (platform: NodeJS.Platform, env: Record<string, string> = {}, isTTY = true) => ({
  platform,
  env,
  isTTY,
});

describe('openCommand', () => {
  it('opens on a desktop terminal with the platform opener', () => {
    expect(openCommand('/r/report.html', at('darwin'))).toEqual(['open', ['/r/report.html']]);
    expect(openCommand('/r/report.html', at('linux', { DISPLAY: ':0' }))).toEqual([
      'xdg-open',
      ['/r/report.html'],
    ]);
    expect(openCommand('/r/report.html', at('linux', { WAYLAND_DISPLAY: 'wayland-0' }))?.[0]).toBe(
      'xdg-open',
    );
    expect(openCommand('C:\\r\\report.html', at('win32'))).toEqual([
      'cmd',
      ['/c', 'start', '""', 'C:\\r\\report.html'],
    ]);
  });

  it('never in CI, off a terminal, or on Linux without a graphical session', () => {
    expect(openCommand('/r/report.html', at('darwin', { CI: 'true' }))).toBeNull();
    expect(openCommand('/r/report.html', at('linux', { DISPLAY: ':0' }, false))).toBeNull();
    expect(openCommand('/r/report.html', at('linux'))).toBeNull();
  });

  it('file URLs escape what a URL must', () => {
    expect(fileUrl('/tmp/my report/report.html')).toBe('file:///tmp/my%20report/report.html');
  });
});
