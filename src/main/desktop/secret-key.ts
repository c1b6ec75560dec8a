// The key that seals camera passwords, wrapped by the OS keychain (DPAPI on Windows, the
// Secret Service / kwallet on Linux) through Electron's safeStorage.
import { safeStorage } from 'electron';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function desktopSecretKey(userData: string): Buffer | undefined {
  // Without a keychain (some Linux sessions), the engine falls back to its 0600 key file.
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  const file = join(userData, 'secret.key.sealed');
  if (existsSync(file)) return Buffer.from(safeStorage.decryptString(readFileSync(file)), 'base64');
  const key = randomBytes(32);
  writeFileSync(file, safeStorage.encryptString(key.toString('base64')), { mode: 0o600 });
  return key;
}
