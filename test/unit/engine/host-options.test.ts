import { describe, it, expect } from 'vitest';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_PORT, UsageError, defaultDataDir, parseHostOptions } from '../../../src/main/host-options';

/** A clean environment: never read the developer's own VIGIL_* variables. */
const ENV: NodeJS.ProcessEnv = { XDG_DATA_HOME: '/home/op/.local/share', APPDATA: 'C:\\Users\\op\\AppData\\Roaming' };
const TOKEN = 'abcdefghijklmnop_-0123';

describe('parseHostOptions', () => {
  it('defaults: port 7420, per-user data dir, no token, desktop, demo site on', () => {
    expect(DEFAULT_PORT).toBe(7420);
    expect(parseHostOptions([], ENV)).toEqual({
      port: 7420,
      dataDir: defaultDataDir(ENV),
      token: undefined,
      headless: false,
      demoSite: true,
    });
  });

  it('--port N and --port=N', () => {
    expect(parseHostOptions(['--port', '8080'], ENV).port).toBe(8080);
    expect(parseHostOptions(['--port=9090'], ENV).port).toBe(9090);
    expect(parseHostOptions(['--headless', '--port', '0'], ENV).port).toBe(0);
    expect(parseHostOptions(['--port', '65535'], ENV).port).toBe(65535);
  });

  it('VIGIL_PORT, and the flag wins over it', () => {
    expect(parseHostOptions([], { ...ENV, VIGIL_PORT: '8123' }).port).toBe(8123);
    expect(parseHostOptions(['--port=8124'], { ...ENV, VIGIL_PORT: '8123' }).port).toBe(8124);
  });

  it.each([['--port', '65536'], ['--port', '-1'], ['--port', '80.5'], ['--port', 'http'], ['--port=12abc'], ['--port=99999']].map((argv) => [argv.join(' '), argv] as const))('%s -> UsageError', (_label, argv) => {
    expect(() => parseHostOptions(argv, ENV)).toThrow(UsageError);
    expect(() => parseHostOptions(argv, ENV)).toThrow(/port number \(0-65535\)/);
  });

  it('a bad VIGIL_PORT -> UsageError naming the value', () => {
    expect(() => parseHostOptions([], { ...ENV, VIGIL_PORT: 'eighty' })).toThrow(UsageError);
    expect(() => parseHostOptions([], { ...ENV, VIGIL_PORT: 'eighty' })).toThrow(/"eighty"/);
  });

  it('--port without a value -> UsageError', () => {
    expect(() => parseHostOptions(['--port'], ENV)).toThrow(UsageError);
    expect(() => parseHostOptions(['--port', '--headless'], ENV)).toThrow(/--port needs a value/);
  });

  // BUG (see report): Number('') and Number(' ') are 0, so an empty value silently means "any free port".
  it('an empty --port= is a usage error, not port 0', () => {
    expect(() => parseHostOptions(['--port='], ENV)).toThrow(UsageError);
    expect(() => parseHostOptions(['--port', ' '], ENV)).toThrow(UsageError);
  });

  it('an empty VIGIL_PORT (set but blank in an env file) does not mean port 0', () => {
    let port: number | 'usage error';
    try {
      port = parseHostOptions([], { ...ENV, VIGIL_PORT: '' }).port;
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      port = 'usage error';
    }
    // Either answer is sound: the default port, or a usage error.
    expect([DEFAULT_PORT, 'usage error']).toContain(port);
  });

  it('--data-dir DIR and --data-dir=DIR, over VIGIL_DATA_DIR', () => {
    expect(parseHostOptions(['--data-dir', '/srv/vigil'], ENV).dataDir).toBe('/srv/vigil');
    expect(parseHostOptions(['--data-dir=/srv/vigil=2'], ENV).dataDir).toBe('/srv/vigil=2');
    expect(parseHostOptions([], { ...ENV, VIGIL_DATA_DIR: '/var/lib/vigil' }).dataDir).toBe('/var/lib/vigil');
    expect(parseHostOptions(['--data-dir', '/srv/vigil'], { ...ENV, VIGIL_DATA_DIR: '/var/lib/vigil' }).dataDir).toBe('/srv/vigil');
    expect(() => parseHostOptions(['--data-dir'], ENV)).toThrow(/--data-dir needs a value/);
  });

  it('VIGIL_TOKEN: 16-128 characters of A-Z a-z 0-9 _ -', () => {
    expect(parseHostOptions([], { ...ENV, VIGIL_TOKEN: TOKEN }).token).toBe(TOKEN);
    expect(parseHostOptions([], { ...ENV, VIGIL_TOKEN: 'a'.repeat(16) }).token).toBe('a'.repeat(16));
    expect(parseHostOptions([], { ...ENV, VIGIL_TOKEN: 'a'.repeat(128) }).token).toBe('a'.repeat(128));
    for (const bad of ['a'.repeat(15), 'a'.repeat(129), 'abcdefghijklmnop!', 'abcdefghijklmnop q', 'abcdefghijklmnopé', '']) {
      expect(() => parseHostOptions([], { ...ENV, VIGIL_TOKEN: bad })).toThrow(UsageError);
    }
  });

  it('--headless', () => {
    expect(parseHostOptions(['--headless'], ENV).headless).toBe(true);
    expect(parseHostOptions(['--port', '1', '--headless'], ENV)).toMatchObject({ headless: true, port: 1 });
  });

  it('--no-demo or VIGIL_DEMO=0 turn the demo site off', () => {
    expect(parseHostOptions(['--no-demo'], ENV).demoSite).toBe(false);
    expect(parseHostOptions([], { ...ENV, VIGIL_DEMO: '0' }).demoSite).toBe(false);
    expect(parseHostOptions([], { ...ENV, VIGIL_DEMO: '1' }).demoSite).toBe(true);
  });

  it('UsageError is an Error', () => {
    expect(new UsageError('x')).toBeInstanceOf(Error);
  });
});

describe('defaultDataDir', () => {
  it('follows each OS convention', () => {
    expect(defaultDataDir({ XDG_DATA_HOME: '/data/xdg' }, 'linux')).toBe(join('/data/xdg', 'vigil'));
    expect(defaultDataDir({}, 'linux')).toBe(join(homedir(), '.local', 'share', 'vigil'));
    expect(defaultDataDir({}, 'darwin')).toBe(join(homedir(), 'Library', 'Application Support', 'Vigil'));
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\op\\AppData\\Roaming' }, 'win32')).toBe(join('C:\\Users\\op\\AppData\\Roaming', 'Vigil'));
  });
});
