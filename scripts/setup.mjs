// Installs what Vigil needs on this machine, so that `npm start` and `npm test` work on a
// fresh Debian/Ubuntu machine with nothing but Node. Runs with plain Node (no dependencies):
// it is what installs the dependencies.
//   node scripts/setup.mjs            runtime needs (npm packages, FFmpeg)
//   node scripts/setup.mjs --test     plus the test tools (Chromium, GStreamer RTSP server)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const RUNTIME_PACKAGES = ['ffmpeg'];
// The RTSP server of the integration tests is GStreamer's, driven from Debian's Python.
const TEST_PACKAGES = [
  'chromium',
  'python3-gi',
  'gir1.2-gst-rtsp-server-1.0',
  'gstreamer1.0-plugins-base',
  'gstreamer1.0-plugins-good',
  'gstreamer1.0-plugins-bad',
  'gstreamer1.0-rtsp',
  'gstreamer1.0-libav',
];

function say(line) {
  console.log(`setup: ${line}`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status})`);
}

function missingDebianPackages(names) {
  return names.filter((name) => spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' }).stdout?.includes('install ok installed') !== true);
}

export function ensureSystemPackages({ test }) {
  if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get') || !existsSync('/usr/bin/dpkg-query')) {
    say('not a Debian/Ubuntu system: install FFmpeg yourself (or set VIGIL_FFMPEG_PATH)');
    return;
  }
  const wanted = [...RUNTIME_PACKAGES, ...(test ? TEST_PACKAGES : [])];
  // An explicit FFmpeg (env override) means the system one is not needed.
  const needed = process.env.VIGIL_FFMPEG_PATH ? wanted.filter((name) => name !== 'ffmpeg') : wanted;
  const missing = missingDebianPackages(needed);
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    const message = `missing system packages: ${missing.join(', ')}. Run as root: ${command}`;
    if (test) throw new Error(message);
    say(message);
    return;
  }
  say(`installing ${missing.join(', ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-q'], { env });
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env });
}

function npmInstallNeeded() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (!existsSync(marker)) return true;
  const lock = join(root, 'package-lock.json');
  return existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs;
}

function electronPackageVersion() {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const lock = existsSync(join(root, 'package-lock.json')) ? JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) : null;
  return lock?.packages?.['node_modules/electron']?.version ?? pkg.optionalDependencies.electron.replace(/^[^\d]*/, '');
}

export function ensureNodeModules() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if (npmInstallNeeded()) {
    say('installing npm dependencies');
    // Electron and ffmpeg-static download binaries at install time; they are optional, so
    // where that download cannot happen npm skips them instead of failing.
    // onnxruntime-node's optional CUDA download is skipped (see .npmrc); CPU inference needs nothing more.
    run(npm, [existsSync(join(root, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund'], {
      shell: process.platform === 'win32',
      env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: process.env.ONNXRUNTIME_NODE_INSTALL ?? 'skip' },
    });
  }
  if (!existsSync(join(root, 'node_modules', 'electron', 'package.json'))) {
    // Without its binary, Electron's package still brings the types the desktop host is
    // checked against; `npm start` then runs the headless host.
    say('Electron binary unavailable here: installing its package without the binary (the desktop host will not start on this machine)');
    run(npm, ['install', '--no-save', '--no-audit', '--no-fund', '--ignore-scripts', `electron@${electronPackageVersion()}`], {
      shell: process.platform === 'win32',
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' },
    });
  }
}

/** Path of the Electron binary when it was downloaded, else null. */
export function electronBinary() {
  try {
    const require = createRequire(join(root, 'package.json'));
    const path = require('electron');
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

export function hasCommand(name) {
  try {
    execFileSync(process.platform === 'win32' ? 'where' : 'which', [name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    ensureSystemPackages({ test: process.argv.includes('--test') });
    ensureNodeModules();
    say('done');
  } catch (error) {
    console.error(`setup: ${error.message}`);
    process.exit(1);
  }
}
