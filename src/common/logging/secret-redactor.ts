const REDACTED = '[redacted]';
const TOKEN_IN_URL = /(page_access_token=)[^&\s"'#]*/gi;
const BEARER = /(Bearer\s+)[^\s"',]+/gi;
const MAX_DEPTH = 8;

/**
 * Scrubs secrets from anything about to be logged: every configured page token and API key
 * wherever it appears, `page_access_token=` in URLs, and Bearer credentials.
 */
export function createSecretRedactor(secrets: readonly string[]): (value: unknown) => unknown {
  // Longest first, so a secret containing another is replaced whole.
  const known = [...new Set(secrets.filter((s) => s.length >= 4))].sort(
    (a, b) => b.length - a.length,
  );

  // One scan tells most strings apart from any that could hold a secret (a false hit, e.g. a
  // secret in other case, only costs the exact pass below).
  const suspect = new RegExp(
    [...known.map(escapeRegExp), 'page_access_token=', 'bearer\\s'].join('|'),
    'i',
  );

  const scrubString = (text: string): string => {
    if (!suspect.test(text)) return text;
    let result = text;
    for (const secret of known)
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    return result.replace(TOKEN_IN_URL, `$1${REDACTED}`).replace(BEARER, `$1${REDACTED}`);
  };

  const scrub = (value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return scrubString(value);
    if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return value;
    if (seen.has(value)) return '[circular]';
    seen.add(value);
    if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1, seen));
    if (value instanceof Error) {
      return {
        type: value.name,
        message: scrubString(value.message),
        stack: value.stack === undefined ? undefined : scrubString(value.stack),
        cause: value.cause === undefined ? undefined : scrub(value.cause, depth + 1, seen),
      };
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = /^(authorization|page_access_token|token|api_?key|password)$/i.test(key)
        ? REDACTED
        : scrub(item, depth + 1, seen);
    }
    return out;
  };

  return (value) => scrub(value, 0, new WeakSet());
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
