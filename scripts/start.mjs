// `npm start`: install what is missing, build, then start the desktop app when Electron and a
// display are available, otherwise the headless host (prints "Vigil ready: <url>").
// Extra arguments pass through: npm start -- --headless --port 7420 --data-dir ./site
import { spawn, spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { electronBinary, ensureNodeModules, ensureSystemPackages } from './setup.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

try {
  ensureSystemPackages({ test: false });
  ensureNodeModules();
} catch (error) {
  console.error(`start: ${error.message}`);
  process.exit(1);
}
const build = spawnSync(process.execPath, [resolve(root, 'scripts/build.mjs')], { stdio: 'inherit', cwd: root });
if (build.status !== 0) process.exit(build.status ?? 1);

const electron = electronBinary();
const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const desktop = electron && hasDisplay && !args.includes('--headless');
if (!desktop && !args.includes('--headless')) {
  console.error(`start: ${electron ? 'no display' : 'Electron binary not installed'}; starting the headless host (open the printed address in a browser)`);
}
const child = desktop
  ? spawn(electron, ['.', ...args], { stdio: 'inherit', cwd: root })
  : spawn(process.execPath, [resolve(root, 'out/main/headless.js'), ...args], { stdio: 'inherit', cwd: root });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
