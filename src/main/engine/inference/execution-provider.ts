// Execution providers: where onnxruntime runs the model. Preference goes to the GPU APIs of
// each OS, and CPU always comes last, because a control room with slow detection is better
// than one without any.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { OnnxRuntime } from './onnx-runtime';

export type ExecutionProvider = 'cuda' | 'dml' | 'coreml' | 'cpu';

export const DEFAULT_PROVIDERS: readonly ExecutionProvider[] = ['cuda', 'dml', 'coreml', 'cpu'];

/** A provider that was not used, and why: reported in health next to PROVIDER_FALLBACK. */
export interface ProviderFallback {
  provider: string;
  reason: string;
  /**
   * True when a session was attempted and failed (a GPU provider that should have worked);
   * false when skipped without trying (another OS's provider, or not in this build), which
   * on its own is no reason to warn the operator.
   */
  tried: boolean;
}

const ONLY_ON: Partial<Record<string, { platform: NodeJS.Platform; name: string }>> = {
  dml: { platform: 'win32', name: 'Windows' },
  coreml: { platform: 'darwin', name: 'macOS' },
};

/** The order to try: the preference list as given, de-duplicated, with 'cpu' last if absent. */
export function providerOrder(preference: readonly string[] = DEFAULT_PROVIDERS): string[] {
  const order = [...new Set(preference.map((name) => name.trim().toLowerCase()).filter(Boolean))];
  if (!order.includes('cpu')) order.push('cpu');
  return order;
}

/** The preference list VIGIL_PROVIDERS gives ('cuda,cpu'), shared by the detector and the clip classifier; the default without it. */
export function providersFromEnv(env: NodeJS.ProcessEnv): string[] {
  return env.VIGIL_PROVIDERS ? env.VIGIL_PROVIDERS.split(',').map((p) => p.trim()) : [...DEFAULT_PROVIDERS];
}

/**
 * Why `provider` cannot even be tried here, or null when it is worth a session attempt.
 * Skipping these saves a failed native load and its error line on stderr at every start.
 */
export function providerUnavailable(
  provider: string,
  runtime: Pick<OnnxRuntime, 'listSupportedBackends'>,
  platform: NodeJS.Platform = process.platform,
  cudaInstalled: () => boolean = cudaProviderInstalled,
): string | null {
  const only = ONLY_ON[provider];
  if (only && only.platform !== platform) return `only on ${only.name}`;
  // onnxruntime-node downloads its CUDA provider at install time only when asked; without the
  // library a session attempt just fails with a native error on stderr.
  if (provider === 'cuda' && !cudaInstalled()) return 'CUDA provider not installed (reinstall onnxruntime-node with ONNXRUNTIME_NODE_INSTALL=cuda12 on a machine with network access)';
  let supported: readonly { name: string }[] | null = null;
  try {
    supported = runtime.listSupportedBackends();
  } catch {
    // Older bindings cannot list their providers: just try.
  }
  if (supported && !supported.some((backend) => backend.name === provider)) return 'not in this build of onnxruntime-node';
  return null;
}

/** Is onnxruntime-node's CUDA provider library beside its native binding? */
export function cudaProviderInstalled(): boolean {
  if (process.platform !== 'linux' && process.platform !== 'win32') return false;
  try {
    const root = dirname(createRequire(__filename).resolve('onnxruntime-node/package.json'));
    const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
    return existsSync(join(root, 'bin', 'napi-v6', process.platform, process.arch, lib));
  } catch {
    return false;
  }
}
