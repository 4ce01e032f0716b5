import { assertPageId, assertPsid } from './path-segments.js';

/** The public avatar URL for a psid: upstream answers 301 to the CDN; it needs no token. */
export function buildAvatarUrl(avatarBaseUrl: string, pageId: string, psid: string): string {
  return `${avatarBaseUrl}/pages/${assertPageId(pageId)}/avatar/${assertPsid(psid)}`;
}
