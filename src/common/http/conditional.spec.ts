import type { ReadRecord } from '../context/request-context.js';
import {
  cacheControlOf,
  etagOf,
  ifNoneMatchMatches,
  maxAgeOf,
  mirrorEtagOf,
  NO_STORE,
} from './conditional.js';

describe('etagOf', () => {
  it('is a weak tag of 27 base64url characters, equal for equal bytes only', () => {
    const tag = etagOf('{"a":1}');
    expect(tag).toMatch(/^W\/"[A-Za-z0-9_-]{27}"$/);
    expect(etagOf(Buffer.from('{"a":1}'))).toBe(tag);
    expect(etagOf('{"a":2}')).not.toBe(tag);
  });
});

describe('ifNoneMatchMatches', () => {
  const tag = etagOf('body');
  const strong = tag.slice(2);

  it('matches the tag, its strong form, within a list, and *', () => {
    expect(ifNoneMatchMatches(tag, tag)).toBe(true);
    expect(ifNoneMatchMatches(strong, tag)).toBe(true);
    expect(ifNoneMatchMatches(`W/"other", ${tag}`, tag)).toBe(true);
    expect(ifNoneMatchMatches(['W/"other"', tag], tag)).toBe(true);
    expect(ifNoneMatchMatches(' * ', tag)).toBe(true);
  });

  it('does not match another tag, a missing header or an empty one', () => {
    expect(ifNoneMatchMatches(undefined, tag)).toBe(false);
    expect(ifNoneMatchMatches('', tag)).toBe(false);
    expect(ifNoneMatchMatches('W/"other"', tag)).toBe(false);
    expect(ifNoneMatchMatches(tag.slice(0, -2) + '"', tag)).toBe(false);
  });
});

describe('cacheControlOf', () => {
  const read = (overrides: Partial<ReadRecord> = {}): ReadRecord => ({
    pageId: '111',
    outcome: 'hit',
    generation: 0,
    freshForMs: 12_400,
    ...overrides,
  });

  it('gives a cached read what is left of its TTL, the least fresh read counting', () => {
    expect(cacheControlOf({ read: true, statusCode: 200, reads: [read()] })).toBe(
      'private, max-age=12',
    );
    expect(
      cacheControlOf({
        read: true,
        statusCode: 200,
        reads: [read({ outcome: 'miss', freshForMs: 30_000 }), read({ freshForMs: 999 })],
      }),
    ).toBe('private, max-age=0');
    expect(cacheControlOf({ read: true, statusCode: 304, reads: [read()] })).toBe(
      'private, max-age=12',
    );
  });

  it('asks to revalidate a stale copy at once, and a read the gateway did not keep each time', () => {
    expect(
      cacheControlOf({
        read: true,
        statusCode: 200,
        reads: [read(), read({ outcome: 'stale', staleAgeSeconds: 40 })],
      }),
    ).toBe('private, max-age=0');
    expect(
      cacheControlOf({
        read: true,
        statusCode: 200,
        reads: [read({ outcome: 'bypass', generation: null })],
      }),
    ).toBe('private, no-cache');
    expect(cacheControlOf({ read: true, statusCode: 200, reads: [] })).toBe('private, no-cache');
  });

  it('never stores writes, errors or 401s', () => {
    expect(cacheControlOf({ read: false, statusCode: 200, reads: [read()] })).toBe(NO_STORE);
    expect(cacheControlOf({ read: false, statusCode: 201, reads: [] })).toBe(NO_STORE);
    expect(cacheControlOf({ read: true, statusCode: 401, reads: [] })).toBe(NO_STORE);
    expect(cacheControlOf({ read: true, statusCode: 502, reads: [read()] })).toBe(NO_STORE);
  });

  it('rounds max-age down and never below 0', () => {
    expect(maxAgeOf(29_999)).toBe('private, max-age=29');
    expect(maxAgeOf(-5)).toBe('private, max-age=0');
  });
});

describe('mirror ETags', () => {
  it('stay the same when only syncedAt moved, and change with the data', () => {
    const body = (syncedAt: string, name: string) =>
      Buffer.from(
        `{"total":1,"nodes":[{"name":"${name}"}],"source":"MIRROR","syncedAt":"${syncedAt}"}`,
      );
    const first = mirrorEtagOf(body('2026-01-01T00:00:00.000Z', 'Lan'));
    expect(mirrorEtagOf(body('2026-01-01T00:00:05.000Z', 'Lan'))).toBe(first);
    expect(mirrorEtagOf(body('2026-01-01T00:00:05.000Z', 'Mai'))).not.toBe(first);
  });

  it('leave out every syncedAt, null or not, wherever it is, and only it', () => {
    const gql = (a: string, b: string, name: string) =>
      Buffer.from(
        `{"data":{"x":{"syncedAt":${a},"nodes":[{"name":"${name}"}]},"y":{"syncedAt":${b}}}}`,
      );
    const first = mirrorEtagOf(gql('null', '"2026-01-01T00:00:00.000Z"', 'Lan'));
    expect(mirrorEtagOf(gql('"2026-01-02T00:00:00.000Z"', 'null', 'Lan'))).toBe(first);
    expect(mirrorEtagOf(gql('null', 'null', 'Lân'))).not.toBe(first);
    // Without syncedAt, a mirror ETag is the plain ETag of the bytes.
    const plain = Buffer.from('{"total":0,"nodes":[]}');
    expect(mirrorEtagOf(plain)).toBe(etagOf(plain));
  });
});
