// `npm test`: every check, on real components. Installs its own prerequisites (Chromium,
// GStreamer's RTSP server, FFmpeg) the way `npm start` does, builds, then runs lint, type
// checks and all vitest projects (unit, integration, e2e).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureNodeModules, ensureSystemPackages } from './setup.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const passthrough = process.argv.slice(2);

try {
  ensureSystemPackages({ test: true });
  ensureNodeModules();
} catch (error) {
  console.error(`test: ${error.message}`);
  process.exit(1);
}

// Test material outside the repository (never needed by the product): ../shared beside the checkout.
const shared = resolve(root, '..', 'shared');
const env = { ...process.env };
if (!env.VIGIL_TEST_MEDIA && existsSync(resolve(shared, 'media'))) env.VIGIL_TEST_MEDIA = resolve(shared, 'media');
if (!env.VIGIL_MODEL_PATH && existsSync(resolve(shared, 'models'))) env.VIGIL_MODEL_PATH = resolve(shared, 'models');

const bin = (name) => resolve(root, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const steps = [
  ['build', process.execPath, [resolve(root, 'scripts/build.mjs')]],
  ['lint', bin('eslint'), ['.']],
  ['typecheck (node)', bin('tsc'), ['-p', 'tsconfig.node.json', '--noEmit']],
  ['typecheck (web)', bin('tsc'), ['-p', 'tsconfig.web.json', '--noEmit']],
  // One project after the other: integration and e2e tests run real FFmpeg, GStreamer and
  // Chromium processes, and two cores are not enough to run them beside each other.
  ...(passthrough.length
    ? [['tests', bin('vitest'), ['run', ...passthrough]]]
    : ['unit', 'integration', 'e2e'].map((project) => [
        `tests: ${project}`,
        bin('vitest'),
        ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=test-results/${project}.json`],
      ])),
];
rmSync(resolve(root, 'test-results'), { recursive: true, force: true });
mkdirSync(resolve(root, 'test-results'), { recursive: true });
const totals = { passed: 0, failed: 0 };
function count(name) {
  const file = resolve(root, 'test-results', `${name.replace('tests: ', '')}.json`);
  if (!name.startsWith('tests: ') || !existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
}
let failed = null;
for (const [name, command, args] of steps) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, env, shell: process.platform === 'win32' });
  count(name);
  if (result.status !== 0) {
    failed = `${name} failed`;
    // Without a build, lint or type check there is nothing worth testing; test projects all run.
    if (!name.startsWith('tests')) break;
  }
}
if (!passthrough.length) console.log(`\nvitest: ${totals.passed} passed, ${totals.failed} failed`);
if (failed) {
  console.error(`test: ${failed}`);
  process.exit(1);
}
