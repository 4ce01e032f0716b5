/** What one client key may do. */
export type KeyScope = 'read' | 'write';

export interface ApiKeyGrant {
  /** The key's name: logged and used in metrics; the key itself never is. */
  name: string;
  key: string;
  /** null: every configured page. */
  pages: ReadonlySet<string> | null;
  /** 'write' implies read. */
  scope: KeyScope;
}

// What `Authorization: Bearer <key>` can carry (bearerKey reads \S+): no blanks, no control characters.
const UNSENDABLE_KEY_CHARACTER = /[\s\p{Cc}]/u;

/**
 * Parses GATEWAY_API_KEYS. Entries are comma-separated; each is `name=key`, optionally
 * followed by `;pages=111|222` (page allow-list) and `;scope=read|write` (default write),
 * each option at most once; every page listed must be one of `configuredPages`.
 *   crm=k1,bi=k2;scope=read,callcentre=k3;pages=111|222
 * Throws with a message naming the entry by position and name, never its key.
 */
export function parseApiKeys(
  raw: string | undefined,
  configuredPages: { has(pageId: string): boolean },
): ApiKeyGrant[] {
  if (!raw || raw.trim() === '') return [];
  const grants: ApiKeyGrant[] = [];
  const names = new Set<string>();
  const keys = new Set<string>();
  raw.split(',').forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    const [head, ...options] = entry.trim().split(';');
    const eq = head.indexOf('=');
    if (eq <= 0) throw new Error(`${where} must look like name=key`);
    const name = head.slice(0, eq).trim();
    const key = head.slice(eq + 1).trim();
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name)) {
      throw new Error(`${where}: the name must be 1-64 letters, digits, '_', '.' or '-'`);
    }
    if (key.length < 16)
      throw new Error(`${where} (${name}): the key must be at least 16 characters`);
    if (UNSENDABLE_KEY_CHARACTER.test(key)) {
      throw new Error(
        `${where} (${name}): the key must not contain spaces or control characters (a Bearer header could not carry it)`,
      );
    }
    if (names.has(name)) throw new Error(`${where}: the name ${name} is used twice`);
    if (keys.has(key)) throw new Error(`${where} (${name}): the same key is given to two names`);
    let pages: Set<string> | null = null;
    let scope: KeyScope = 'write';
    const seenOptions = new Set<string>();
    for (const option of options) {
      const [optName, optValue = ''] = option.split('=').map((s) => s.trim());
      // A repeat would silently win over the first: refuse rather than guess which was meant.
      if (seenOptions.has(optName))
        throw new Error(`${where} (${name}): ${optName} is given twice`);
      seenOptions.add(optName);
      if (optName === 'pages') {
        const ids = optValue.split('|').filter(Boolean);
        if (ids.length === 0 || ids.some((id) => !/^\d{1,32}$/.test(id))) {
          throw new Error(`${where} (${name}): pages must be page ids separated by '|'`);
        }
        const unconfigured = ids.find((id) => !configuredPages.has(id));
        if (unconfigured !== undefined) {
          throw new Error(
            `${where} (${name}): page ${unconfigured} has no token in PANCAKE_PAGE_TOKENS`,
          );
        }
        pages = new Set(ids);
      } else if (optName === 'scope') {
        if (optValue !== 'read' && optValue !== 'write') {
          throw new Error(`${where} (${name}): scope must be read or write`);
        }
        scope = optValue;
      } else {
        throw new Error(`${where} (${name}): unknown option '${optName}' (pages, scope)`);
      }
    }
    names.add(name);
    keys.add(key);
    grants.push({ name, key, pages, scope });
  });
  return grants;
}
