import type { ReadOutcome, ReadRecord } from '../common/context/request-context.js';
import { cacheHeadersOf } from './cache-headers.js';

const reads = (...values: ReadOutcome[]): ReadRecord[] =>
  values.map((outcome) => ({ pageId: '111', outcome, generation: 0, freshForMs: 0 }));

describe('cacheHeadersOf', () => {
  it('sets nothing when no cached read happened', () => {
    expect(cacheHeadersOf({ reads: reads() })).toEqual({});
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
  ] as [ReadOutcome[], string][])(
    'names %j as X-Cache: %s (the least fresh wins)',
    (values, header) => {
      expect(cacheHeadersOf({ reads: reads(...values) })).toEqual({ 'X-Cache': header });
    },
  );

  it('marks a stale answer with X-Cache, Age, Warning and X-Gateway-Stale', () => {
    expect(cacheHeadersOf({ reads: [{ ...reads('stale')[0]!, staleAgeSeconds: 42.7 }] })).toEqual({
      'X-Cache': 'STALE',
      Age: '42',
      Warning: '110 - "Response is stale"',
      'X-Gateway-Stale': 'true',
    });
  });

  it('says STALE from the stale outcome alone', () => {
    expect(cacheHeadersOf({ reads: reads('hit', 'stale') })).toEqual({
      'X-Cache': 'STALE',
    });
  });
});
