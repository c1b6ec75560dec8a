import { describe, expect, it } from 'vitest';
import { DEFAULT_PROVIDERS, providerOrder, providerUnavailable } from '../../../src/main/engine/inference/execution-provider';

const linuxBuild = { listSupportedBackends: () => [{ name: 'cpu', bundled: true }, { name: 'webgpu', bundled: true }, { name: 'cuda', bundled: false }, { name: 'tensorrt', bundled: false }] };

describe('execution providers', () => {
  it('prefers CUDA, DirectML, CoreML, then CPU', () => {
    expect(DEFAULT_PROVIDERS).toEqual(['cuda', 'dml', 'coreml', 'cpu']);
    expect(providerOrder()).toEqual(['cuda', 'dml', 'coreml', 'cpu']);
  });

  it('always ends with CPU, without duplicates', () => {
    expect(providerOrder(['CUDA', 'cuda', ' dml '])).toEqual(['cuda', 'dml', 'cpu']);
    expect(providerOrder(['cpu', 'cuda'])).toEqual(['cpu', 'cuda']);
    expect(providerOrder([])).toEqual(['cpu']);
  });

  it('skips providers of another OS or missing from the build, with the reason', () => {
    expect(providerUnavailable('dml', linuxBuild, 'linux')).toBe('only on Windows');
    expect(providerUnavailable('coreml', linuxBuild, 'linux')).toBe('only on macOS');
    expect(providerUnavailable('dml', { listSupportedBackends: () => [{ name: 'cpu', bundled: true }] }, 'win32')).toBe('not in this build of onnxruntime-node');
    expect(providerUnavailable('tpu', linuxBuild, 'linux')).toBe('not in this build of onnxruntime-node');
    // CUDA is listed but not bundled: with its provider library installed a session attempt
    // tells whether it loads; without the library it is not even tried.
    expect(providerUnavailable('cuda', linuxBuild, 'linux', () => true)).toBeNull();
    expect(providerUnavailable('cuda', linuxBuild, 'linux', () => false)).toMatch(/CUDA provider not installed/);
    expect(providerUnavailable('cpu', linuxBuild, 'linux')).toBeNull();
  });
});
