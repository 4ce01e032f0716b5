/**
 * The Content-Security-Policy of the dashboard at /ui: stricter than the gateway's default
 * (helmet's), which allows inline styles and https: styles for Swagger UI and Altair.
 * Everything comes from the gateway itself; the only other origins are the avatar images'.
 */

/**
 * Where the public avatar redirect sends the browser: Pancake's CDN. An <img> follows the 301
 * from PANCAKE_AVATAR_BASE_URL, and CSP checks every hop, so both origins must be allowed.
 */
export const AVATAR_CDN_ORIGINS: readonly string[] = ['https://content.pancake.vn'];

/** `https://pancake.vn/api/v1` -> `https://pancake.vn`; null when it is not an http(s) URL. */
function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : null;
  } catch {
    return null;
  }
}

/** The policy for every /ui response, given where avatarUrl points and where that redirects. */
export function dashboardCsp(
  avatarBaseUrl: string,
  avatarCdnOrigins: readonly string[] = AVATAR_CDN_ORIGINS,
): string {
  const avatarOrigins = [originOf(avatarBaseUrl), ...avatarCdnOrigins.map(originOf)].filter(
    (origin): origin is string => origin !== null,
  );
  const imageSources = [...new Set(["'self'", ...avatarOrigins])];
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    // 'self' covers the graphql-ws socket on the same host and port (ws: and wss:).
    "connect-src 'self'",
    `img-src ${imageSources.join(' ')}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
