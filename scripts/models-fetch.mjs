// `npm run models:fetch [-- --model ID] [--dir DIR] [--url URL] [--trust-unverified] [--force]`
//
// Downloads a detection model named in models/manifest.json into the user's models directory
// (<data dir>/models), where the engine looks after VIGIL_MODEL_PATH. Weights are never
// committed, so this is how a workstation gets them. The file is checked against the
// manifest's sha256 before it is put in place (temp file + rename: never half a model).
//
// Exit codes: 0 installed or already there; 1 usage or download error; 2 no network (offline,
// name not resolved, refused, timed out); 3 checksum mismatch, or no checksum to verify
// against without --trust-unverified.
//
// Plain Node, no dependencies: it must run before `npm install` finished anything else, and on
// machines where the engine has never started.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const EXIT = { ok: 0, failed: 1, offline: 2, unverified: 3 };
const NETWORK_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'EPIPE', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'UND_ERR_SOCKET']);

class FetchError extends Error {
  constructor(exitCode, message) {
    super(message);
    this.exitCode = exitCode;
  }
}

const USAGE = `usage: npm run models:fetch [-- --model ID] [--dir DIR] [--url URL] [--trust-unverified] [--force]
  --model ID           a model id from models/manifest.json (default: its defaultModel)
  --dir DIR            install into DIR (default: <data dir>/models; data dir = VIGIL_DATA_DIR or the per-user default)
  --url URL            download from URL instead of the manifest's sourceUrl (a mirror)
  --trust-unverified   install a file the manifest has no sha256 for (prints the file's sha256)
  --force              download again even when a verified copy is already there
environment: VIGIL_MODELS_BASE_URL (mirror: <base>/<file>), VIGIL_DATA_DIR, VIGIL_FETCH_TIMEOUT_MS (idle timeout, default 30000)`;

function parseArgs(argv) {
  const options = { model: null, dir: null, url: null, trustUnverified: false, force: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = () => {
      const next = inline ?? argv[++i];
      if (next === undefined || next.startsWith('--')) throw new FetchError(EXIT.failed, `${flag} needs a value\n${USAGE}`);
      return next;
    };
    if (flag === '--model') options.model = value();
    else if (flag === '--dir') options.dir = value();
    else if (flag === '--url') options.url = value();
    else if (flag === '--trust-unverified') options.trustUnverified = true;
    else if (flag === '--force') options.force = true;
    else if (flag === '--help' || flag === '-h') {
      console.log(USAGE);
      process.exit(EXIT.ok);
    } else throw new FetchError(EXIT.failed, `unknown option ${arg}\n${USAGE}`);
  }
  return options;
}

/** Same per-OS default as src/main/host-options.ts (defaultDataDir): keep the two in step. */
function defaultDataDir(env = process.env, platform = process.platform) {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Vigil');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Vigil');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'vigil');
}

function readManifest() {
  const file = join(root, 'models', 'manifest.json');
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new FetchError(EXIT.failed, `${file} cannot be read: ${error.message}`);
  }
  if (!Array.isArray(manifest.models)) throw new FetchError(EXIT.failed, `${file} has no "models" list`);
  return manifest;
}

function pickEntry(manifest, id) {
  const wanted = id ?? manifest.defaultModel;
  const entry = manifest.models.find((model) => model.id === wanted);
  if (!entry) throw new FetchError(EXIT.failed, `no model "${wanted}" in models/manifest.json (known: ${manifest.models.map((model) => model.id).join(', ')})`);
  // The file name becomes a path: the engine's manifest schema allows a bare name only, so does this.
  if (typeof entry.file !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]*\.onnx$/.test(entry.file)) throw new FetchError(EXIT.failed, `model "${wanted}" has an unsafe file name: ${entry.file}`);
  if (typeof entry.sha256 !== 'string' || !/^([0-9a-f]{64})?$/.test(entry.sha256)) throw new FetchError(EXIT.failed, `model "${wanted}" has a malformed sha256 in models/manifest.json`);
  return entry;
}

function sourceFor(entry, options, env) {
  if (options.url) return options.url;
  if (env.VIGIL_MODELS_BASE_URL) return `${env.VIGIL_MODELS_BASE_URL.replace(/\/+$/, '')}/${entry.file}`;
  return entry.sourceUrl || null;
}

async function sha256OfFile(file) {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

function networkCode(error) {
  for (let cause = error; cause; cause = cause.cause) {
    if (cause.code && NETWORK_CODES.has(cause.code)) return cause.code;
    if (Array.isArray(cause.errors)) {
      // Happy-eyeballs connects (IPv4 and IPv6) fail as an AggregateError.
      const inner = cause.errors.map(networkCode).find(Boolean);
      if (inner) return inner;
    }
  }
  return null;
}

/** Streams `url` into `temp`, hashing as it goes; aborts when no byte arrives for `idleMs`. */
async function download(url, temp, idleMs) {
  const controller = new AbortController();
  let timer;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error('timed out')), idleMs);
  };
  const hash = createHash('sha256');
  let handle = null;
  let bytes = 0;
  touch();
  try {
    const response = await fetch(url, { signal: controller.signal, redirect: 'follow', headers: { 'user-agent': 'vigil-models-fetch' } });
    if (!response.ok || !response.body) throw new FetchError(EXIT.failed, `${url} answered HTTP ${response.status} ${response.statusText}`.trim());
    handle = await open(temp, 'w');
    for await (const chunk of response.body) {
      touch();
      hash.update(chunk);
      await handle.write(chunk);
      bytes += chunk.length;
    }
    await handle.sync();
    return { sha256: hash.digest('hex'), bytes };
  } catch (error) {
    if (error instanceof FetchError) throw error;
    const code = controller.signal.aborted ? `no data for ${idleMs / 1000} s` : networkCode(error);
    if (code) throw Object.assign(new FetchError(EXIT.offline, `${new URL(url).host}: ${code}`), { offline: true });
    throw new FetchError(EXIT.failed, `download of ${url} failed: ${error.cause?.message ?? error.message}`);
  } finally {
    clearTimeout(timer);
    await handle?.close();
  }
}

async function main() {
  const env = process.env;
  const options = parseArgs(process.argv.slice(2));
  const entry = pickEntry(readManifest(), options.model);
  const dir = resolve(options.dir ?? join(env.VIGIL_DATA_DIR || defaultDataDir(env), 'models'));
  const target = join(dir, entry.file);
  const where = `copy ${entry.file} into ${dir} or set VIGIL_MODEL_PATH to a directory that holds it`;

  if (existsSync(target) && !options.force) {
    if (!entry.sha256) {
      console.log(`${entry.id}: ${target} is already there (not verified: the manifest has no sha256). Use --force to download again.`);
      return;
    }
    if ((await sha256OfFile(target)) === entry.sha256) {
      console.log(`${entry.id}: ${target} is already there and matches its sha256.`);
      return;
    }
    console.log(`${entry.id}: ${target} does not match its sha256; downloading it again.`);
  }

  const url = sourceFor(entry, options, env);
  if (!url) {
    throw new FetchError(
      EXIT.failed,
      `${entry.id} has no official ONNX download (see models/README.md). Export or obtain ${entry.file} yourself, then ${where}; or fetch it from your own mirror with --url URL --trust-unverified.`,
    );
  }
  if (!entry.sha256 && !options.trustUnverified) {
    throw new FetchError(EXIT.unverified, `${entry.id}: models/manifest.json has no sha256 for ${entry.file}, so a download cannot be verified. Pass --trust-unverified to install it anyway (its sha256 is printed), or ${where}.`);
  }

  await mkdir(dir, { recursive: true });
  const temp = join(dir, `.${entry.file}.${process.pid}.download`);
  const idleMs = Number(env.VIGIL_FETCH_TIMEOUT_MS) > 0 ? Number(env.VIGIL_FETCH_TIMEOUT_MS) : 30_000;
  console.log(`${entry.id}: downloading ${url} (${entry.licence})`);
  try {
    const { sha256, bytes } = await download(url, temp, idleMs);
    if (entry.sha256 && sha256 !== entry.sha256) {
      throw new FetchError(EXIT.unverified, `${entry.id}: the download from ${url} has sha256 ${sha256}, but models/manifest.json expects ${entry.sha256}. Nothing was installed.`);
    }
    await rename(temp, target);
    const size = (await stat(target)).size;
    if (size !== bytes) throw new FetchError(EXIT.failed, `${target}: wrote ${bytes} bytes but the file has ${size}`);
    console.log(entry.sha256 ? `${entry.id}: installed ${target} (${bytes} bytes, sha256 verified).` : `${entry.id}: installed ${target} (${bytes} bytes) UNVERIFIED, sha256 ${sha256}: add it to models/manifest.json once you trust this file.`);
  } catch (error) {
    await rm(temp, { force: true });
    if (error.offline) throw new FetchError(EXIT.offline, `no network (${error.message}): ${where}.`);
    throw error;
  }
}

main().catch((error) => {
  console.error(`models:fetch: ${error.message}`);
  process.exit(error instanceof FetchError ? error.exitCode : EXIT.failed);
});
