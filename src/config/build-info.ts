import { readFileSync } from 'node:fs';

/**
 * The gateway's version: package.json's, read once at start. The file sits two levels above
 * this module both in src/config (tests) and in dist/config (the build and the image).
 */
function readVersion(): string {
  try {
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

export const GATEWAY_VERSION = readVersion();
