import fc from 'fast-check';
import { DateTime } from 'luxon';
import { GatewayError } from '../../common/errors/gateway-error.js';
import {
  addCounts,
  bucketCounts,
  bucketEdges,
  checkCountWindow,
  SLOT_MS,
  slotBucketCounts,
  slotDays,
  slotSpan,
  type CountWindow,
  type SlotDay,
  type StatsBucketName,
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

describe('bucketEdges against Luxon edge by edge', () => {
  // The reference: Luxon's plus(1 unit).startOf(unit) from each edge.
  const UNITS = { DAY: 'day', WEEK: 'week', MONTH: 'month' } as const;
  const reference = (w: CountWindow): Date[] => {
    const unit = UNITS[w.bucket];
    let edge = DateTime.fromJSDate(w.since, { zone: w.timeZone }).startOf(unit);
    const edges = [edge.toJSDate()];
    while (edge.toMillis() < w.until.getTime()) {
      edge = edge.plus({ [`${unit}s`]: 1 }).startOf(unit);
      edges.push(edge.toJSDate());
    }
    return edges;
  };
  // DST at midnight (Santiago, Havana, Beirut, Asuncion), a skipped day (Apia, 2011-12-30),
  // 30-minute DST (Lord Howe), Ramadan DST (Casablanca), 45 and 30-minute offsets, LMT.
  const ZONES = [
    'Asia/Ho_Chi_Minh',
    'America/New_York',
    'America/Santiago',
    'America/Havana',
    'Asia/Beirut',
    'America/Asuncion',
    'Pacific/Apia',
    'Australia/Lord_Howe',
    'Africa/Casablanca',
    'Asia/Kathmandu',
    'America/St_Johns',
    'Europe/London',
    'UTC',
  ];

  it('gives the same instants in every zone, bucket and era', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.constantFrom('DAY', 'WEEK', 'MONTH') as fc.Arbitrary<StatsBucketName>,
        fc.integer({ min: Date.UTC(1895, 0, 1), max: Date.UTC(2040, 0, 1) }),
        fc.integer({ min: 1, max: 400 * 86_400_000 }),
        (timeZone, bucket, sinceMs, lengthMs) => {
          const w = window({
            timeZone,
            bucket,
            since: new Date(sinceMs),
            until: new Date(sinceMs + lengthMs),
          });
          expect(iso(bucketEdges(w))).toEqual(iso(reference(w)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same instants around the known awkward transitions', () => {
    for (const [timeZone, at] of [
      ['Pacific/Apia', '2011-12-25T00:00:00Z'],
      ['America/Santiago', '2022-09-01T00:00:00Z'],
      ['America/Santiago', '2023-03-25T00:00:00Z'],
      ['America/Havana', '2023-03-05T00:00:00Z'],
      ['Asia/Beirut', '2023-03-20T00:00:00Z'],
      ['Australia/Lord_Howe', '2023-09-25T00:00:00Z'],
      ['Asia/Ho_Chi_Minh', '1906-06-01T00:00:00Z'],
    ] as const)
      for (const bucket of ['DAY', 'WEEK', 'MONTH'] as const) {
        const w = window({
          timeZone,
          bucket,
          since: new Date(at),
          until: new Date(Date.parse(at) + 70 * 86_400_000),
        });
        expect(iso(bucketEdges(w))).toEqual(iso(reference(w)));
      }
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

describe('slotSpan', () => {
  const at = (text: string): Date => new Date(text);

  it('is the whole window when since and until are on slot edges', () => {
    const w = window({});
    expect(slotSpan(w.since, w.until, bucketEdges(w))).toEqual({ from: w.since, to: w.until });
  });

  it('rounds ragged ends inwards to slot edges (they are counted row by row)', () => {
    const w = window({
      since: at('2025-01-01T03:07:13.123Z'),
      until: at('2025-01-03T21:52:01Z'),
    });
    expect(slotSpan(w.since, w.until, bucketEdges(w))).toEqual({
      from: at('2025-01-01T03:15:00Z'),
      to: at('2025-01-03T21:45:00Z'),
    });
  });

  it('is null within one slot', () => {
    const since = at('2025-01-01T03:01:00Z');
    expect(slotSpan(since, at('2025-01-01T03:14:00Z'), [])).toBeNull();
    expect(slotSpan(since, at('2025-01-01T03:15:00Z'), [])).toBeNull();
  });

  it('takes 45- and 30-minute offsets (Asia/Kathmandu, Asia/Kolkata): their midnights are slot edges', () => {
    for (const timeZone of ['Asia/Kathmandu', 'Asia/Kolkata', 'America/St_Johns']) {
      const w = window({ timeZone, since: at('2025-01-01T00:00:00Z') });
      expect(slotSpan(w.since, w.until, bucketEdges(w))).not.toBeNull();
    }
  });

  it('is null when a bucket edge inside the window is off the slots (local mean time)', () => {
    // Asia/Ho_Chi_Minh ran on local mean time, UTC+7:06:40, in 1900.
    const w = window({ since: at('1900-01-01T00:00:00Z'), until: at('1900-01-05T00:00:00Z') });
    expect(bucketEdges(w)[1]!.getTime() % SLOT_MS).not.toBe(0);
    expect(slotSpan(w.since, w.until, bucketEdges(w))).toBeNull();
  });
});

describe('slotBucketCounts', () => {
  const DAY_MS = 86_400_000;
  const dayOf = (text: string): number => Date.parse(text) / DAY_MS;
  const slots = (set: Record<number, number>): number[] =>
    Array.from({ length: 96 }, (_, i) => set[i] ?? 0);

  it("sums each UTC day's slots into the local days they fall in (UTC+7: 17:00 UTC edges)", () => {
    const w = window({});
    const edges = bucketEdges(w);
    const days: SlotDay[] = [
      // 2024-12-31 16:45 UTC: before the window; 17:00 UTC: the first local day.
      { dayNo: dayOf('2024-12-31'), slots: slots({ 67: 5, 68: 1, 95: 2 }) },
      { dayNo: dayOf('2025-01-01'), slots: slots({ 0: 3, 67: 4, 68: 10 }) },
      // Listed out of order; 2025-01-03 17:00 UTC is the window's end.
      { dayNo: dayOf('2025-01-03'), slots: slots({ 67: 7, 68: 100 }) },
    ];
    const counts = slotBucketCounts(edges, { from: w.since, to: w.until }, days.reverse());
    expect(counts).toEqual(
      new Map([
        [1, 1 + 2 + 3 + 4],
        [2, 10],
        [3, 7],
      ]),
    );
  });

  it('counts only the slots of the span (the ragged ends come from the rows)', () => {
    const w = window({});
    const from = new Date('2025-01-01T00:15:00Z');
    const to = new Date('2025-01-01T01:00:00Z');
    const days = [{ dayNo: dayOf('2025-01-01'), slots: slots({ 0: 1, 1: 2, 3: 4, 4: 8 }) }];
    expect(slotBucketCounts(bucketEdges(w), { from, to }, days)).toEqual(new Map([[1, 6]]));
    expect(slotDays({ from, to })).toEqual({
      fromDay: dayOf('2025-01-01'),
      toDay: dayOf('2025-01-02'),
    });
  });
});

describe('addCounts', () => {
  it('adds bucket by bucket', () => {
    expect(
      addCounts(
        new Map([[1, 2]]),
        new Map([
          [1, 3],
          [4, 1],
        ]),
      ),
    ).toEqual(
      new Map([
        [1, 5],
        [4, 1],
      ]),
    );
  });
});
