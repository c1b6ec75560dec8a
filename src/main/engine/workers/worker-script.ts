// Where a worker's script is. In the bundle (out/main/headless.js, out/main/index.js) each
// worker is its own file beside the engine, built by scripts/build.mjs. Running from
// sources (vitest, the in-process test engine) there is no such file, so the entry is
// compiled once per process with esbuild, the bundler the build uses: tests run the very
// worker the product ships.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';
import type * as Esbuild from 'esbuild';

const compiled = new Map<string, string>();

/**
 * @param bundleDir the folder of the running engine code (its __dirname)
 * @param bundleName the built file, e.g. 'inference-worker.js'
 * @param entry the TypeScript entry it is built from
 */
export function workerScript(bundleDir: string, bundleName: string, entry: string): string {
  const bundled = join(bundleDir, bundleName);
  if (existsSync(bundled)) return bundled;
  const cached = compiled.get(entry);
  if (cached) return cached;
  if (!existsSync(entry)) throw new Error(`The worker ${bundleName} is missing beside ${bundleDir} (scripts/build.mjs builds it).`);
  // esbuild is a dev dependency: required only here, so the shipped bundle never contains it.
  const require = createRequire(__filename);
  const esbuild = require('esbuild') as typeof Esbuild;
  // Inside node_modules/.cache so that native packages left external (onnxruntime-node) resolve.
  const cacheDir = join(dirname(require.resolve('esbuild/package.json')), '..', '.cache', 'vigil-workers');
  mkdirSync(cacheDir, { recursive: true });
  const outfile = join(cacheDir, `${bundleName.replace(/\.js$/, '')}-${process.pid}-${threadId}.cjs`);
  esbuild.buildSync({ entryPoints: [entry], outfile, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'silent', external: ['onnxruntime-node'] });
  process.once('exit', () => rmSync(outfile, { force: true }));
  compiled.set(entry, outfile);
  return outfile;
}
