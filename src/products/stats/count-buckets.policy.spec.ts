import { GatewayError } from '../../common/errors/gateway-error.js';
import {
  bucketCounts,
  bucketEdges,
  checkCountWindow,
  type CountWindow,
} from './count-buckets.policy.js';

const window = (over: Partial<CountWindow>): CountWindow => ({
  since: new Date('2025-01-01T00:00:00+07:00'),
  until: new Date('2025-01-04T00:00:00+07:00'),
  bucket: 'DAY',
  timeZone: 'Asia/Ho_Chi_Minh',
  ...over,
});
const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString());

describe('bucketEdges', () => {
  it('days in Asia/Ho_Chi_Minh are local midnights, 24 h apart, with one edge past the end', () => {
    expect(iso(bucketEdges(window({})))).toEqual([
      '2024-12-31T17:00:00.000Z',
      '2025-01-01T17:00:00.000Z',
      '2025-01-02T17:00:00.000Z',
      '2025-01-03T17:00:00.000Z',
    ]);
  });

  it('the first bucket starts at or before since', () => {
    const edges = bucketEdges(window({ since: new Date('2025-01-01T12:30:00+07:00') }));
    expect(edges[0]!.toISOString()).toBe('2024-12-31T17:00:00.000Z');
  });

  it('weeks start on Monday (ISO), months on the 1st, across a month boundary', () => {
    const weeks = bucketEdges(
      window({
        since: new Date('2025-01-30T00:00:00+07:00'),
        until: new Date('2025-02-10T00:00:00+07:00'),
        bucket: 'WEEK',
      }),
    );
    expect(iso(weeks)).toEqual([
      '2025-01-26T17:00:00.000Z', // Monday 27 January, local
      '2025-02-02T17:00:00.000Z',
      '2025-02-09T17:00:00.000Z', // until itself: no bucket starts at the window's end
    ]);
    const months = bucketEdges(
      window({
        since: new Date('2025-01-15T00:00:00+07:00'),
        until: new Date('2025-03-01T00:00:00+07:00'),
        bucket: 'MONTH',
      }),
    );
    expect(iso(months)).toEqual([
      '2024-12-31T17:00:00.000Z',
      '2025-01-31T17:00:00.000Z',
      '2025-02-28T17:00:00.000Z',
    ]);
  });

  it('a DST zone keeps local midnights: the spring-forward day lasts 23 hours', () => {
    const edges = bucketEdges(
      window({
        since: new Date('2025-03-08T00:00:00-05:00'),
        until: new Date('2025-03-11T00:00:00-04:00'),
        timeZone: 'America/New_York',
      }),
    );
    expect(iso(edges)).toEqual([
      '2025-03-08T05:00:00.000Z',
      '2025-03-09T05:00:00.000Z',
      '2025-03-10T04:00:00.000Z',
      '2025-03-11T04:00:00.000Z',
    ]);
    expect(edges[2]!.getTime() - edges[1]!.getTime()).toBe(23 * 3600_000);
  });
});

describe('bucketCounts', () => {
  it('lists every bucket, empty ones with 0, from width_bucket indexes', () => {
    const edges = bucketEdges(window({}));
    const counts = bucketCounts(
      edges,
      new Map([
        [1, 4],
        [3, 2],
      ]),
    );
    expect(counts.map((c) => c.count)).toEqual([4, 0, 2]);
    expect(counts[1]!.bucketStart).toEqual(edges[1]);
  });
});

describe('checkCountWindow', () => {
  const violation = (over: Partial<CountWindow>): unknown => {
    try {
      checkCountWindow(window(over));
    } catch (error) {
      return (error as GatewayError).details;
    }
    return null;
  };

  it('refuses an unknown zone, an empty window and a daily window over 2 years, naming the field', () => {
    expect(violation({ timeZone: 'Mars/Olympus' })).toMatchObject({
      violations: [{ field: 'timeZone' }],
    });
    expect(violation({ until: new Date('2024-01-01T00:00:00Z') })).toMatchObject({
      violations: [{ field: 'until', rule: 'must be after since' }],
    });
    expect(violation({ until: new Date('2027-01-02T00:00:00+07:00') })).toMatchObject({
      violations: [{ field: 'until', rule: 'must be at most 2 years after since for DAY buckets' }],
    });
    expect(violation({ until: new Date('2027-01-01T00:00:00+07:00') })).toBeNull();
    expect(violation({ until: new Date('2027-01-02T00:00:00+07:00'), bucket: 'WEEK' })).toBeNull();
  });
});
