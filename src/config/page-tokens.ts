/**
 * Parses PANCAKE_PAGE_TOKENS (`pageId=token,pageId=token`) into a map.
 * Errors name the entry by position and page id, never the token.
 */
export function parsePageTokens(raw: string | undefined): ReadonlyMap<string, string> {
  const tokens = new Map<string, string>();
  if (!raw || raw.trim() === '') return tokens;
  raw.split(',').forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new Error(`${where} must look like pageId=token`);
    const pageId = entry.slice(0, eq).trim();
    const token = entry.slice(eq + 1).trim();
    if (!/^\d{1,32}$/.test(pageId)) throw new Error(`${where}: the page id must be digits`);
    if (token.length === 0) throw new Error(`${where} (page ${pageId}): the token is empty`);
    if (/[\s,]/.test(token))
      throw new Error(`${where} (page ${pageId}): the token contains a space`);
    if (tokens.has(pageId)) throw new Error(`${where}: page ${pageId} is listed twice`);
    tokens.set(pageId, token);
  });
  return tokens;
}
