import { describe, expect, it } from 'vitest';
import { type AdapterIdentity, adapterLabel, isSoftwareAdapter } from './software-adapter';

const SOFTWARE: AdapterIdentity[] = [
  {
    vendor: 'google',
    architecture: 'swiftshader',
    device: 'swiftshader-device-subzero-',
    description: 'SwiftShader driver 5.0.0',
  },
  { vendor: 'mesa', architecture: '', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' },
  { vendor: 'mesa', device: 'lavapipe' },
  { vendor: 'microsoft', description: 'Microsoft Basic Render Driver' },
  { vendor: 'acme', architecture: 'Software Rasterizer' },
  { vendor: 'acme', device: 'CPU' },
  { vendor: 'nvidia', architecture: 'ampere', isFallbackAdapter: true },
];

const HARDWARE: AdapterIdentity[] = [
  { vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3080' },
  { vendor: 'apple', architecture: 'metal-3' },
  { vendor: 'intel', architecture: 'gen-12lp', description: 'Intel(R) UHD Graphics 770' },
  { vendor: 'amd', architecture: 'rdna-2', isFallbackAdapter: false },
  { vendor: 'qualcomm', architecture: 'adreno-7xx', description: 'cpuless-looking name' },
  {},
];

describe('isSoftwareAdapter', () => {
  it.each(SOFTWARE)('flags %o', (identity) => {
    expect(isSoftwareAdapter(identity)).toBe(true);
  });

  it.each(HARDWARE)('passes %o', (identity) => {
    expect(isSoftwareAdapter(identity)).toBe(false);
  });
});

describe('adapterLabel', () => {
  it('is vendor and architecture, else the description or device, else unknown', () => {
    expect(adapterLabel({ vendor: 'google', architecture: 'swiftshader' })).toBe(
      'google swiftshader',
    );
    expect(adapterLabel({ vendor: 'mesa', architecture: '' })).toBe('mesa');
    expect(adapterLabel({ description: 'llvmpipe (LLVM 15)' })).toBe('llvmpipe (LLVM 15)');
    expect(adapterLabel({ device: 'lavapipe' })).toBe('lavapipe');
    expect(adapterLabel({})).toBe('unknown');
  });
});
