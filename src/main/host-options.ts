// Command-line and environment options shared by both hosts.
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface HostOptions {
  port: number;
  dataDir: string;
  token?: string;
  headless: boolean;
  demoSite: boolean;
}

export const DEFAULT_PORT = 7420;

/** Per-user data directory, as each OS expects it. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Vigil');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Vigil');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'vigil');
}

export class UsageError extends Error {}

export function parseHostOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): HostOptions {
  const value = (flag: string): string | undefined => {
    const index = argv.findIndex((arg) => arg === flag || arg.startsWith(`${flag}=`));
    if (index < 0) return undefined;
    const arg = argv[index]!;
    if (arg.includes('=')) return arg.slice(arg.indexOf('=') + 1);
    const next = argv[index + 1];
    if (next === undefined || next.startsWith('--')) throw new UsageError(`${flag} needs a value`);
    return next;
  };
  // A blank VIGIL_PORT (set but empty in an env file) means "not set"; a blank --port is a mistake.
  const portText = value('--port') ?? (env.VIGIL_PORT?.trim() || String(DEFAULT_PORT));
  const port = /^\d+$/.test(portText.trim()) ? Number(portText) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port/VIGIL_PORT must be a port number (0-65535), got "${portText}"`);
  const token = env.VIGIL_TOKEN;
  if (token !== undefined && !/^[A-Za-z0-9_-]{16,128}$/.test(token)) throw new UsageError('VIGIL_TOKEN must be 16-128 characters of A-Z, a-z, 0-9, _ or -');
  return {
    port,
    dataDir: value('--data-dir') ?? env.VIGIL_DATA_DIR ?? defaultDataDir(env),
    token,
    headless: argv.includes('--headless'),
    demoSite: !argv.includes('--no-demo') && env.VIGIL_DEMO !== '0',
  };
}
