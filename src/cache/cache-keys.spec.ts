import { entryKey, generationKey, loadingKey, readFingerprint } from './cache-keys.js';

describe('cache keys', () => {
  it('fingerprints the canonical parts: key order does not matter, values do', () => {
    const a = readFingerprint({ op: 'list', since: 1, until: 2, pageSize: 100 });
    const b = readFingerprint({ pageSize: 100, until: 2, since: 1, op: 'list' });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(readFingerprint({ op: 'list', since: 1, until: 3, pageSize: 100 })).not.toBe(a);
  });

  it('lays out entry, generation and marker keys under the page hash tag, without raw parts', () => {
    const fp = readFingerprint({ op: 'customer', id: 'secret-looking-id', token: 'tok_abc' });
    const key = entryKey('pgw:', '1234', 7, fp);
    expect(key).toBe(`pgw:read:{1234}:g7:${fp}`);
    expect(key).not.toContain('secret-looking-id');
    expect(key).not.toContain('tok_abc');
    expect(generationKey('pgw:', '1234')).toBe('pgw:read:{1234}:gen');
    expect(loadingKey(key)).toBe(`${key}:loading`);
  });

  it('encodes page ids so one page cannot forge another page key', () => {
    expect(generationKey('pgw:', 'a}:b')).toBe('pgw:read:{a%7D%3Ab}:gen');
  });
});
