/**
 * Secrets never sit in plain settings and are never shown. A setting whose key names a secret is refused when a
 * channel is saved (the encrypted-secret path takes it), and masked wherever settings or URLs are shown.
 */
const SECRET_KEY =
  /token|secret|password|passwd|pwd|api[-_]?key|private[-_]?key|credential|cookie|authori[sz]ation|bearer|session/i;

export const MASK = '***';

/** The first key (with its path, e.g. "auth.accessToken") that names a secret, or null. */
export function findSecretKey(value: unknown, at = ''): string | null {
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const where = at ? `${at}.${key}` : key;
    if (SECRET_KEY.test(key)) return where;
    const found = findSecretKey(inner, where);
    if (found) return found;
  }
  return null;
}

/** An address written with a user name or password in it (https://user:pass@host/…). */
const URL_WITH_CREDENTIALS = /\b[a-z][a-z0-9+.-]*:\/\/[^\s/@"'<>]+@/i;

/** The first setting (with its path) whose value is an address carrying a user name or password, or null. */
export function findUrlCredentials(value: unknown, at = ''): string | null {
  if (typeof value === 'string') return URL_WITH_CREDENTIALS.test(value) ? at || 'settings' : null;
  if (value === null || typeof value !== 'object') return null;
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
    const found = findUrlCredentials(inner, at ? `${at}.${key}` : key);
    if (found) return found;
  }
  return null;
}

/**
 * Settings as they may be shown: every value under a secret-looking key replaced by the mask, and the user name and
 * password of any address in them masked (settings saved before such addresses were refused may hold one).
 */
export function maskSettings(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSettings);
  if (typeof value === 'string')
    return value.replace(
      new RegExp(URL_WITH_CREDENTIALS.source, 'gi'),
      (m) => `${m.slice(0, m.indexOf('//') + 2)}${MASK}@`,
    );
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
      key,
      SECRET_KEY.test(key) ? MASK : maskSettings(inner),
    ]),
  );
}

/** A URL as it may be shown: the password (and a user name given alone, which Redis takes as the password) masked. */
export function maskUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    // Not a URL (a SQLite path): still hide anything shaped like user:password@.
    return text.replace(/\/\/[^/@\s]*@/, `//${MASK}@`);
  }
  if (url.password) url.password = MASK;
  else if (url.username && url.protocol.startsWith('redis')) url.username = MASK;
  else return text;
  return url.toString();
}

/** Any text shown to a person (an error from a driver, a check's sentence): every URL in it masked as maskUrl does. */
export function maskUrlsIn(text: string): string {
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>]+/gi, (url) => maskUrl(url));
}
