import { cacheHeadersOf } from './cache-headers.js';

import type { CacheOutcome } from '../../cache/read-cache.js';

const outcomes = (...values: CacheOutcome[]): CacheOutcome[] => values;

describe('cacheHeadersOf', () => {
  it('sets nothing when no cached read happened', () => {
    expect(cacheHeadersOf({ cacheOutcomes: outcomes() })).toEqual({});
  });

  it.each([
    [['hit'], 'HIT'],
    [['miss'], 'MISS'],
    [['coalesced'], 'COALESCED'],
    [['hit', 'miss'], 'MISS'],
    [['hit', 'coalesced'], 'COALESCED'],
    [['coalesced', 'miss', 'hit'], 'MISS'],
    [['bypass'], 'MISS'],
    [['hit', 'bypass'], 'MISS'],
  ] as [CacheOutcome[], string][])(
    'names %j as X-Cache: %s (the least fresh wins)',
    (values, header) => {
      expect(cacheHeadersOf({ cacheOutcomes: outcomes(...values) })).toEqual({ 'X-Cache': header });
    },
  );

  it('marks a stale answer with X-Cache, Age, Warning and X-Gateway-Stale', () => {
    expect(
      cacheHeadersOf({ cacheOutcomes: outcomes('stale'), stale: { ageSeconds: 42.7 } }),
    ).toEqual({
      'X-Cache': 'STALE',
      Age: '42',
      Warning: '110 - "Response is stale"',
      'X-Gateway-Stale': 'true',
    });
  });

  it('says STALE from the stale outcome alone', () => {
    expect(cacheHeadersOf({ cacheOutcomes: outcomes('hit', 'stale') })).toEqual({
      'X-Cache': 'STALE',
    });
  });
});
