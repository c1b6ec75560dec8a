// Evidence exports are signed with a key that belongs to this installation, so whoever
// receives a folder can tell it is byte for byte what this site exported, and which site.
// Ed25519: small keys, deterministic signatures, no parameters to get wrong. The private key
// sits in the data dir sealed with the same SecretBox as camera passwords (a copied data
// folder alone cannot sign); the public key is written beside it as PEM so the site can
// publish it, and its fingerprint (sha256 of the DER SubjectPublicKeyInfo) is what a
// recipient compares with `verify-export --fingerprint`.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretBox } from '../secrets/secret-box';

export const SEALED_KEY_FILE = 'evidence-signing.key';
export const PUBLIC_KEY_FILE = 'evidence-signing.pub.pem';

export interface InstallationKey {
  privateKey: KeyObject;
  /** SPKI, PEM text: goes into every manifest. */
  publicKeyPem: string;
  /** sha256 of the DER SPKI public key, lowercase hex. */
  fingerprint: string;
}

export class EvidenceKeyError extends Error {
  readonly code = 'EVIDENCE_KEY_DAMAGED' as const;
}

export function publicKeyFingerprint(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex');
}

/** Created on first use, then always the same key: a new key would orphan the published fingerprint. */
export function loadOrCreateInstallationKey(dataDir: string, box: SecretBox): InstallationKey {
  const file = join(dataDir, SEALED_KEY_FILE);
  if (!existsSync(file)) createSealedKey(file, box);
  const privateKey = openSealedKey(file, box);
  const publicKey = createPublicKey(privateKey);
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  writePublicKeyBeside(join(dataDir, PUBLIC_KEY_FILE), publicKeyPem);
  return { privateKey, publicKeyPem, fingerprint: publicKeyFingerprint(publicKey) };
}

function createSealedKey(file: string, box: SecretBox): void {
  const { privateKey } = generateKeyPairSync('ed25519');
  const sealed = `${box.seal(privateKey.export({ type: 'pkcs8', format: 'pem' }).toString())}\n`;
  // Written whole under a temporary name, then linked into place: link fails if the name
  // exists, so when two processes start at once one key wins and neither reads half a file.
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, sealed, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function openSealedKey(file: string, box: SecretBox): KeyObject {
  const damaged = (why: string) =>
    new EvidenceKeyError(
      `The evidence signing key ${file} is damaged or was sealed with another secret key (${why}). ` +
        'Exports cannot be signed until it is restored from backup. Removing it creates a new key; ' +
        'earlier exports then verify only against the old fingerprint.',
    );
  let pem: string;
  try {
    pem = box.open(readFileSync(file, 'utf8').trim());
  } catch (error) {
    throw damaged((error as Error).message);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw damaged((error as Error).message);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw damaged(`it holds a ${key.asymmetricKeyType ?? 'unknown'} key, not ed25519`);
  return key;
}

function writePublicKeyBeside(file: string, pem: string): void {
  if (existsSync(file)) {
    // The PEM is what the site hands out; one that differs from the key actually signing
    // would make every recipient's check fail, so say so now rather than after an export.
    if (readFileSync(file, 'utf8') === pem) return;
    throw new EvidenceKeyError(`${file} does not match the sealed evidence signing key beside it; remove it and it will be written again from the key.`);
  }
  const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, pem, { mode: 0o644 });
  renameSync(temporary, file);
}
