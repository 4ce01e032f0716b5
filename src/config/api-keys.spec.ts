import { parseApiKeys } from './api-keys.js';

const KEY = 'k'.repeat(16);
const PAGES = new Set(['111', '222']);

function errorOf(raw: string): string {
  try {
    parseApiKeys(raw, PAGES);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('parseApiKeys', () => {
  it('reads names, keys, pages and scope', () => {
    expect(parseApiKeys(`a=${KEY},b=${KEY}x;scope=read;pages=111|222`, PAGES)).toEqual([
      { name: 'a', key: KEY, pages: null, scope: 'write' },
      { name: 'b', key: `${KEY}x`, pages: new Set(['111', '222']), scope: 'read' },
    ]);
  });

  it.each([
    [`a=${KEY};scope=read;scope=write`, 'entry 1 (a): scope is given twice'],
    [`a=${KEY},b=${KEY}x;pages=111;pages=222`, 'entry 2 (b): pages is given twice'],
  ])('refuses a repeated option instead of keeping the last: %s', (raw, message) => {
    expect(errorOf(raw)).toBe(message);
  });

  it.each([
    ['a space', `a=${KEY} ${KEY}`],
    ['a tab', `a=${KEY}\t${KEY}`],
    ['a control character', `a=${KEY}\u0001`],
  ])('refuses a key with %s (a Bearer header could never carry it), never echoing it', (_, raw) => {
    const message = errorOf(raw);
    expect(message).toBe(
      'entry 1 (a): the key must not contain spaces or control characters (a Bearer header could not carry it)',
    );
    expect(message).not.toContain(KEY);
  });

  it('refuses a page with no token in PANCAKE_PAGE_TOKENS, naming the entry and the page', () => {
    const message = errorOf(`a=${KEY},b=${KEY}x;pages=111|999`);
    expect(message).toBe('entry 2 (b): page 999 has no token in PANCAKE_PAGE_TOKENS');
    expect(message).not.toContain(KEY);
  });
});
