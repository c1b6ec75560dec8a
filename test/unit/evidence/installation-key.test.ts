import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvidenceKeyError, PUBLIC_KEY_FILE, SEALED_KEY_FILE, loadOrCreateInstallationKey } from '../../../src/main/engine/evidence/installation-key';
import { SecretBox } from '../../../src/main/engine/secrets/secret-box';

function fresh(): { dir: string; box: SecretBox } {
  return { dir: mkdtempSync(join(tmpdir(), 'vigil-key-')), box: new SecretBox(randomBytes(32)) };
}

describe('loadOrCreateInstallationKey', () => {
  it('creates an Ed25519 key once, sealed, with the public key as PEM beside it', () => {
    const { dir, box } = fresh();
    const key = loadOrCreateInstallationKey(dir, box);
    expect(key.privateKey.asymmetricKeyType).toBe('ed25519');
    const sealed = readFileSync(join(dir, SEALED_KEY_FILE), 'utf8');
    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('PRIVATE KEY');
    if (process.platform !== 'win32') expect(statSync(join(dir, SEALED_KEY_FILE)).mode & 0o077).toBe(0);
    const pem = readFileSync(join(dir, PUBLIC_KEY_FILE), 'utf8');
    expect(pem).toBe(key.publicKeyPem);
    expect(pem).toContain('BEGIN PUBLIC KEY');
    const der = createPublicKey(pem).export({ type: 'spki', format: 'der' });
    expect(key.fingerprint).toBe(createHash('sha256').update(der).digest('hex'));
    const message = Buffer.from('manifest');
    expect(verify(null, message, createPublicKey(pem), sign(null, message, key.privateKey))).toBe(true);
    // No temporary files left behind.
    expect(readdirSync(dir).sort()).toEqual([SEALED_KEY_FILE, PUBLIC_KEY_FILE].sort());
  });

  it('reuses the same key on every later start', () => {
    const { dir, box } = fresh();
    const first = loadOrCreateInstallationKey(dir, box);
    const sealed = readFileSync(join(dir, SEALED_KEY_FILE), 'utf8');
    const second = loadOrCreateInstallationKey(dir, box);
    expect(second.fingerprint).toBe(first.fingerprint);
    expect(readFileSync(join(dir, SEALED_KEY_FILE), 'utf8')).toBe(sealed);
  });

  it('refuses a public PEM that differs from the key, and writes it again when removed', () => {
    const { dir, box } = fresh();
    const key = loadOrCreateInstallationKey(dir, box);
    writeFileSync(join(dir, PUBLIC_KEY_FILE), '');
    expect(() => loadOrCreateInstallationKey(dir, box)).toThrow(EvidenceKeyError);
    // Removed rather than changed: it is derived, so it comes back.
    unlinkSync(join(dir, PUBLIC_KEY_FILE));
    expect(loadOrCreateInstallationKey(dir, box).fingerprint).toBe(key.fingerprint);
    expect(existsSync(join(dir, PUBLIC_KEY_FILE))).toBe(true);
  });

  it('fails clearly, and keeps the file, when the sealed key was tampered with', () => {
    const { dir, box } = fresh();
    loadOrCreateInstallationKey(dir, box);
    const file = join(dir, SEALED_KEY_FILE);
    const sealed = readFileSync(file, 'utf8').trim();
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 5]! ^= 0x01;
    const tampered = `v1:${raw.toString('base64')}\n`;
    writeFileSync(file, tampered);
    let error: unknown;
    try {
      loadOrCreateInstallationKey(dir, box);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EvidenceKeyError);
    expect((error as EvidenceKeyError).code).toBe('EVIDENCE_KEY_DAMAGED');
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(/damaged/);
    // Never silently replaced: a new key would orphan the fingerprint the site published.
    expect(readFileSync(file, 'utf8')).toBe(tampered);
  });

  it('fails clearly when the key was sealed with another secret key, or is not a sealed value', () => {
    const { dir, box } = fresh();
    loadOrCreateInstallationKey(dir, box);
    expect(() => loadOrCreateInstallationKey(dir, new SecretBox(randomBytes(32)))).toThrow(/sealed with another secret key/);
    writeFileSync(join(dir, SEALED_KEY_FILE), 'garbage');
    expect(() => loadOrCreateInstallationKey(dir, box)).toThrow(EvidenceKeyError);
  });

  it('refuses a sealed key that is not Ed25519', () => {
    const { dir, box } = fresh();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    writeFileSync(join(dir, SEALED_KEY_FILE), box.seal(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()));
    expect(() => loadOrCreateInstallationKey(dir, box)).toThrow(/not ed25519/);
  });
});
