// Builds everything without the Electron binary: Vite for the renderer, esbuild (Vite's own
// bundler) for the Node/Electron entries. Output goes to out/.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.includes('--node-only') ? 'node' : process.argv.includes('--web-only') ? 'web' : 'all';

// Native addons and optional packages stay outside the bundle and are resolved at run time.
const external = ['electron', 'better-sqlite3', 'ffmpeg-static', 'bufferutil', 'utf-8-validate', 'onnxruntime-node'];

const nodeEntries = [
  { in: 'src/main/headless.ts', out: 'main/headless' },
  { in: 'src/main/index.ts', out: 'main/index' },
  { in: 'src/main/engine/inference/inference-worker.ts', out: 'main/inference-worker' },
  { in: 'src/main/engine/motion/motion-worker-entry.ts', out: 'main/motion-worker' },
  { in: 'src/main/cli/analyze.ts', out: 'cli/analyze' },
  { in: 'src/main/cli/verify-export.ts', out: 'cli/verify-export' },
  { in: 'bench/ingest.ts', out: 'bench/ingest' },
  { in: 'bench/detect.ts', out: 'bench/detect' },
  { in: 'bench/motion.ts', out: 'bench/motion' },
  // -- entries: review --
  { in: 'bench/review.ts', out: 'bench/review' },
  // -- entries: export --
  { in: 'bench/export.ts', out: 'bench/export' },
  // -- entries: clips --
  { in: 'src/main/engine/classify/clip-worker.ts', out: 'main/clip-worker' },
  { in: 'src/main/cli/eval-clips.ts', out: 'cli/eval-clips' },
  // -- entries: alerts --
  { in: 'bench/alerts.ts', out: 'bench/alerts' },
  // -- entries: whatsapp --
  // Baileys (ESM-only) is bundled into this CJS worker, so neither Node nor Electron's asar has to load it as ESM.
  { in: 'src/main/engine/alerts/whatsapp/whatsapp-worker.ts', out: 'main/whatsapp-worker' },
].filter((entry) => existsSync(resolve(root, entry.in)));

async function buildNode() {
  await esbuild({
    absWorkingDir: root,
    entryPoints: nodeEntries,
    outdir: 'out',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external,
    logLevel: 'warning',
    // electron-store and friends are ESM; bundling them into CJS needs import.meta.url.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  });
  // The sandboxed preload may require only 'electron': one self-contained CJS file.
  await esbuild({
    absWorkingDir: root,
    entryPoints: ['src/preload/index.ts'],
    outfile: 'out/preload/index.js',
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: true,
    external: ['electron'],
    logLevel: 'warning',
  });
}

async function buildWeb() {
  await viteBuild({ configFile: resolve(root, 'vite.config.mts'), logLevel: 'warn' });
}

if (only !== 'web') await buildNode();
if (only !== 'node') await buildWeb();
console.error(`build: ${only} done`);
