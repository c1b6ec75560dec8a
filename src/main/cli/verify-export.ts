// npm run verify-export -- <folder> [--fingerprint HEX]
// Checks an evidence export: the manifest's signature, every file's size and SHA-256, and
// that nothing was added. Meant for whoever receives the folder, so it needs no data dir,
// no FFmpeg and no running Vigil. Exit 0: valid; 1: not valid; 2: usage.
import { resolve } from 'node:path';
import { verifyExport } from '../engine/evidence/verify-export';

const USAGE = 'usage: npm run verify-export -- <folder> [--fingerprint HEX (the 64-digit key fingerprint the exporting site published)]';

function usage(message: string): never {
  console.error(`verify-export: USAGE: ${message}\n${USAGE}`);
  process.exit(2);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  let folder: string | undefined;
  let expected: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--fingerprint' || arg.startsWith('--fingerprint=')) {
      expected = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      // Pasted fingerprints come with colons or spaces; the digits are what count.
      expected = expected?.replace(/[\s:]/g, '');
      if (!expected || !/^[0-9a-fA-F]{64}$/.test(expected)) usage('--fingerprint needs 64 hex digits.');
    } else if (arg === '--help' || arg === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (arg.startsWith('--')) {
      usage(`unknown option ${arg}.`);
    } else if (folder) {
      usage('one folder at a time.');
    } else {
      folder = arg;
    }
  }
  if (!folder) usage('which export folder?');

  const path = resolve(folder);
  const result = await verifyExport(path, { expectedFingerprint: expected });
  if (result.problems.some((p) => p.code === 'FOLDER_MISSING')) usage(`${path} is not a folder.`);

  const lines = [`Evidence export ${path}`];
  const manifest = result.manifest;
  if (manifest) {
    lines.push(
      `  title      ${manifest.title}`,
      `  range      ${manifest.range.fromIso} - ${manifest.range.toIso}`,
      `  cameras    ${manifest.cameras.map((c) => c.name).join(', ') || 'none'}`,
      `  exported   ${manifest.createdAt} by ${manifest.exporter.name} ${manifest.exporter.version}`,
      `  files      ${manifest.files.length} listed, ${formatBytes(manifest.files.reduce((sum, f) => sum + f.size, 0))}`,
    );
  }
  if (result.fingerprint) {
    lines.push(`  signed by  key ${result.fingerprint}${expected ? (expected.toLowerCase() === result.fingerprint ? ' (the expected key)' : ' (NOT the expected key)') : ' (compare with the fingerprint the site published, or pass --fingerprint)'}`);
  }
  if (result.ok) {
    lines.push('VALID: the signature matches and every file is exactly as exported.');
    console.log(lines.join('\n'));
    process.exit(0);
  }
  lines.push(`NOT VALID: ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}`);
  for (const problem of result.problems) lines.push(`  ${problem.code}${problem.file ? ` ${problem.file}` : ''}: ${problem.message}`);
  console.log(lines.join('\n'));
  process.exit(1);
}

main().catch((error: Error) => {
  console.error(`verify-export: FAILED: ${error.stack ?? error.message}`);
  process.exit(1);
});

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
