// Camera URLs carry passwords. Everything that leaves the supervisor (logs, errors, API
// responses, FFmpeg's own stderr) goes through here first.

// Userinfo runs to the LAST '@' before the path: passwords may contain a raw '@'.
const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^/\s]*)@/gi;
const SECRET_PARAMS = /([?&](?:password|pass|pwd|passwd|token|key|auth)=)[^&\s]*/gi;

export const REDACTED = '***';

/** Replace the password in every URL inside `text` (the user name stays: operators need it). */
export function redactSecrets(text: string): string {
  return text
    .replace(USERINFO, (_m, scheme: string, userinfo: string) => {
      const user = userinfo.split(':')[0];
      return `${scheme}${user ? `${user}:${REDACTED}` : REDACTED}@`;
    })
    .replace(SECRET_PARAMS, `$1${REDACTED}`);
}

/** Also hide secrets that appear bare in FFmpeg output, when we know them. */
export function redactKnown(text: string, secrets: readonly string[]): string {
  let out = redactSecrets(text);
  for (const secret of secrets) {
    if (secret.length >= 3) out = out.split(secret).join(REDACTED);
  }
  return out;
}

/** The password (and URL-encoded form) inside a URL, for redactKnown. */
export function secretsOf(url: string): string[] {
  try {
    const parsed = new URL(url);
    if (!parsed.password) return [];
    return [parsed.password, decodeURIComponent(parsed.password)];
  } catch {
    return [];
  }
}

/**
 * An edit form shows the redacted URL. When the operator saves it back unchanged (or only
 * changes host/path but keeps the user and the '***' password), keep the stored password
 * rather than saving '***' as the new one.
 */
export function restoreRedactedPassword(incoming: string, stored: string | null): string {
  if (!stored) return incoming;
  let next: URL;
  let prev: URL;
  try {
    next = new URL(incoming);
    prev = new URL(stored);
  } catch {
    return incoming;
  }
  if (decodeURIComponent(next.password) !== REDACTED) return incoming;
  if (next.username !== prev.username) return incoming;
  next.password = prev.password;
  return next.toString();
}
