import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox, loadOrCreateKeyFile } from '../../../src/main/engine/secrets/secret-box';

const KEY = Buffer.alloc(32, 7);

describe('SecretBox', () => {
  const box = new SecretBox(KEY);

  it('round-trips text, including non-ASCII and empty strings', () => {
    for (const plain of ['rtsp://admin:s3cret@10.0.0.5/live', 'pässwörd/カメラ', '', 'x'.repeat(5000)]) {
      expect(box.open(box.seal(plain))).toBe(plain);
    }
  });

  it('seals to a versioned base64 string that does not contain the plain text', () => {
    const sealed = box.seal('rtsp://admin:s3cret@10.0.0.5/live');
    expect(sealed).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect(sealed).not.toContain('s3cret');
    expect(Buffer.from(sealed.slice(3), 'base64').toString('latin1')).not.toContain('s3cret');
    // 12-byte IV + 16-byte tag + body.
    expect(Buffer.from(sealed.slice(3), 'base64')).toHaveLength(12 + 16 + Buffer.byteLength('rtsp://admin:s3cret@10.0.0.5/live'));
  });

  it('uses a fresh IV every time', () => {
    expect(box.seal('same')).not.toBe(box.seal('same'));
  });

  it('throws when the ciphertext, IV or tag was tampered with', () => {
    const sealed = box.seal('rtsp://admin:s3cret@10.0.0.5/live');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    for (const offset of [0, 12, 28, raw.length - 1]) {
      const tampered = Buffer.from(raw);
      tampered[offset]! ^= 0x01;
      expect(() => box.open(`v1:${tampered.toString('base64')}`)).toThrow();
    }
  });

  it('throws when truncated', () => {
    const sealed = box.seal('secret');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    expect(() => box.open(`v1:${raw.subarray(0, raw.length - 1).toString('base64')}`)).toThrow();
  });

  it('throws with another key', () => {
    const sealed = box.seal('secret');
    expect(() => new SecretBox(Buffer.alloc(32, 8)).open(sealed)).toThrow();
  });

  it('refuses values that are not sealed', () => {
    expect(() => box.open('rtsp://admin:s3cret@h/x')).toThrow(/not a sealed value/);
  });

  it('needs a 32-byte key', () => {
    expect(() => new SecretBox(Buffer.alloc(16))).toThrow(/32 bytes/);
    expect(() => new SecretBox(Buffer.alloc(33))).toThrow(/32 bytes/);
  });
});

describe('loadOrCreateKeyFile', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vigil-key-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a 32-byte key readable only by its owner (0600)', () => {
    const file = join(dir, 'secret.key');
    const key = loadOrCreateKeyFile(file);
    expect(key).toHaveLength(32);
    // Windows has no POSIX modes; it reports 0o666 for a writable file.
    expect(statSync(file).mode & 0o777).toBe(process.platform === 'win32' ? 0o666 : 0o600);
    expect(Buffer.from(readFileSync(file, 'utf8'), 'base64').equals(key)).toBe(true);
  });

  it('0600 holds even under a permissive umask', () => {
    const previous = process.umask(0o000);
    try {
      const file = join(dir, 'secret.key');
      loadOrCreateKeyFile(file);
      if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
      else expect(statSync(file).isFile()).toBe(true);
    } finally {
      process.umask(previous);
    }
  });

  it('reuses the key on the next start, so sealed values still open', () => {
    const file = join(dir, 'secret.key');
    const first = loadOrCreateKeyFile(file);
    const sealed = new SecretBox(first).seal('rtsp://admin:s3cret@h/x');
    const second = loadOrCreateKeyFile(file);
    expect(second.equals(first)).toBe(true);
    expect(new SecretBox(second).open(sealed)).toBe('rtsp://admin:s3cret@h/x');
  });

  it('reads a key file with a trailing newline', () => {
    const file = join(dir, 'secret.key');
    const key = randomBytes(32);
    writeFileSync(file, `${key.toString('base64')}\n`);
    expect(loadOrCreateKeyFile(file).equals(key)).toBe(true);
  });

  it('refuses a damaged key file instead of replacing it', () => {
    const file = join(dir, 'secret.key');
    writeFileSync(file, 'dGhpcyBpcyBub3QgMzIgYnl0ZXM=');
    expect(() => loadOrCreateKeyFile(file)).toThrow(/damaged/);
    expect(readFileSync(file, 'utf8')).toBe('dGhpcyBpcyBub3QgMzIgYnl0ZXM=');
  });

  it('two different key files give two different keys', () => {
    expect(loadOrCreateKeyFile(join(dir, 'a.key')).equals(loadOrCreateKeyFile(join(dir, 'b.key')))).toBe(false);
  });
});
