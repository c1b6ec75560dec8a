// Checks an export folder the way a recipient would: the signature over manifest.json's
// exact bytes with the public key it carries (and, given one, that the key is the
// fingerprint the site published), then every listed file's size and SHA-256, then that
// nothing was added. Every problem is reported, not just the first, so a report says
// exactly which file was touched.
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { lstat, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, SIGNATURE_FILE, hashFile, isSafeListedPath, manifestSchema, walkFolder, type EvidenceManifest } from './evidence-manifest';
import { publicKeyFingerprint } from './installation-key';

export type VerifyProblemCode =
  | 'FOLDER_MISSING'
  | 'MANIFEST_MISSING'
  | 'MANIFEST_UNREADABLE'
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'PUBLIC_KEY_INVALID'
  /** The manifest's stated fingerprint is not that of the key inside it. */
  | 'FINGERPRINT_INCONSISTENT'
  /** Signed, but not by the key the recipient was told to expect. */
  | 'FINGERPRINT_MISMATCH'
  | 'PATH_INVALID'
  | 'FILE_MISSING'
  | 'FILE_NOT_REGULAR'
  | 'FILE_SIZE_MISMATCH'
  | 'FILE_HASH_MISMATCH'
  | 'FILE_UNLISTED';

export interface VerifyProblem {
  file?: string;
  code: VerifyProblemCode;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  problems: VerifyProblem[];
  /** sha256 of the public key the manifest carries; null when there is none to read. */
  fingerprint: string | null;
  /** The parsed manifest when it could be read, signed or not: for the report only. */
  manifest: EvidenceManifest | null;
}

export interface VerifyOptions {
  /** The fingerprint the exporting site published (hex, any case). */
  expectedFingerprint?: string;
}

export async function verifyExport(folder: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const problems: VerifyProblem[] = [];
  const done = (fingerprint: string | null, manifest: EvidenceManifest | null): VerifyResult => ({ ok: problems.length === 0, problems, fingerprint, manifest });

  if (!(await stat(folder).then((s) => s.isDirectory(), () => false))) {
    problems.push({ code: 'FOLDER_MISSING', message: `${folder} is not a folder.` });
    return done(null, null);
  }
  const bytes = await readFile(join(folder, MANIFEST_FILE)).catch(() => null);
  if (!bytes) {
    problems.push({ file: MANIFEST_FILE, code: 'MANIFEST_MISSING', message: `${MANIFEST_FILE} is missing: this is not an evidence export, or it is incomplete.` });
    return done(null, null);
  }
  let manifest: EvidenceManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(bytes.toString('utf8')));
  } catch (error) {
    problems.push({ file: MANIFEST_FILE, code: 'MANIFEST_UNREADABLE', message: `${MANIFEST_FILE} is not a manifest this version reads: ${firstLine((error as Error).message)}` });
    return done(null, null);
  }

  let publicKey: KeyObject | null = null;
  try {
    publicKey = createPublicKey(manifest.publicKey);
    if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error(`a ${publicKey.asymmetricKeyType ?? 'unknown'} key, not ed25519`);
  } catch (error) {
    publicKey = null;
    problems.push({ file: MANIFEST_FILE, code: 'PUBLIC_KEY_INVALID', message: `The manifest's public key cannot be used: ${(error as Error).message}` });
  }
  const fingerprint = publicKey ? publicKeyFingerprint(publicKey) : null;

  if (publicKey) {
    const signature = await readFile(join(folder, SIGNATURE_FILE), 'utf8').catch(() => null);
    if (signature === null) {
      problems.push({ file: SIGNATURE_FILE, code: 'SIGNATURE_MISSING', message: `${SIGNATURE_FILE} is missing: nothing proves who wrote the manifest.` });
    } else if (!verify(null, bytes, publicKey, Buffer.from(signature.trim(), 'base64'))) {
      problems.push({ file: MANIFEST_FILE, code: 'SIGNATURE_INVALID', message: `The signature does not match ${MANIFEST_FILE}: the manifest or the signature was changed after export.` });
    }
    if (fingerprint !== manifest.fingerprint.toLowerCase()) {
      problems.push({ file: MANIFEST_FILE, code: 'FINGERPRINT_INCONSISTENT', message: `The manifest states fingerprint ${manifest.fingerprint}, but its public key's is ${fingerprint}.` });
    }
    const expected = options.expectedFingerprint?.toLowerCase();
    if (expected && fingerprint !== expected) {
      problems.push({ code: 'FINGERPRINT_MISMATCH', message: `Signed by key ${fingerprint}, not by the expected ${expected}.` });
    }
  }

  const listed = new Set<string>([MANIFEST_FILE, SIGNATURE_FILE]);
  for (const file of manifest.files) {
    if (!isSafeListedPath(file.path) || listed.has(file.path)) {
      problems.push({ file: file.path, code: 'PATH_INVALID', message: `The manifest lists ${JSON.stringify(file.path)}, which is not a plain path inside the folder (or is listed twice).` });
      continue;
    }
    listed.add(file.path);
    const path = join(folder, file.path);
    // lstat: a listed name that is a link could point at anything outside the folder.
    const found = await lstat(path).catch(() => null);
    if (!found) {
      problems.push({ file: file.path, code: 'FILE_MISSING', message: `${file.path} is listed but missing.` });
      continue;
    }
    if (!found.isFile()) {
      problems.push({ file: file.path, code: 'FILE_NOT_REGULAR', message: `${file.path} is not a regular file (a link or a folder).` });
      continue;
    }
    if (found.size !== file.size) {
      problems.push({ file: file.path, code: 'FILE_SIZE_MISMATCH', message: `${file.path} is ${found.size} bytes; the manifest says ${file.size}.` });
      continue;
    }
    const { sha256 } = await hashFile(path);
    if (sha256 !== file.sha256) problems.push({ file: file.path, code: 'FILE_HASH_MISMATCH', message: `${file.path} was changed: its SHA-256 is ${sha256}, the manifest says ${file.sha256}.` });
  }

  for (const entry of await walkFolder(folder)) {
    if (listed.has(entry.path)) continue;
    problems.push({ file: entry.path, code: 'FILE_UNLISTED', message: `${entry.path} is not in the manifest: it was added after export.` });
  }
  return done(fingerprint, manifest);
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
