// Every key the gateway writes starts with a prefix (REDIS_KEY_PREFIX, default `pgw:`), so tests
// and deployments sharing one Redis stay apart, then names its family (`read`, `rl`, `lock`...).

/** Default first segment of every key; tests pass a unique prefix per run. */
export const DEFAULT_KEY_PREFIX = 'pgw:';

/**
 * A key of one page: `${prefix}${family}:{pageId}:${rest}`. `{pageId}` is a hash tag, so every
 * key of a page lands in one cluster slot (a script may touch several); it is URI-encoded, so a
 * ':' or '}' in an id can never forge another page's key (page ids are digits: unchanged).
 */
export function pageKey(prefix: string, family: string, pageId: string, rest: string): string {
  return `${prefix}${family}:{${encodeURIComponent(pageId)}}:${rest}`;
}
