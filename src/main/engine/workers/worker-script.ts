// Where a worker's script is. In the bundle (out/main/headless.js, out/main/index.js) each
// worker is its own file beside the engine, built by scripts/build.mjs. Running from
// sources (vitest, the in-process test engine) there is no such file, so the entry is
// compiled with esbuild, the bundler the build uses: tests run the very worker the product
// ships.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
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
  const [output] = esbuild.buildSync({ entryPoints: [entry], write: false, bundle: true, platform: 'node', target: 'node20', format: 'cjs', logLevel: 'silent', external: ['onnxruntime-node'] }).outputFiles;
  if (!output) throw new Error(`esbuild produced no ${bundleName}`);
  // Inside node_modules/.cache so that native packages left external (onnxruntime-node)
  // resolve; named by content, so test processes of one source version share one file and a
  // runner that kills its workers leaves nothing new behind.
  const cacheDir = join(dirname(require.resolve('esbuild/package.json')), '..', '.cache', 'vigil-workers');
  mkdirSync(cacheDir, { recursive: true });
  const hash = createHash('sha256').update(output.contents).digest('hex').slice(0, 16);
  const file = join(cacheDir, `${bundleName.replace(/\.js$/, '')}-${hash}.cjs`);
  if (!existsSync(file)) {
    // Written aside and renamed, so a parallel test process never runs half a file.
    const partial = `${file}.${process.pid}.${threadId}`;
    writeFileSync(partial, output.contents);
    renameSync(partial, file);
  }
  compiled.set(entry, file);
  return file;
}
