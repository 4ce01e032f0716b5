// New-customer counts: the buckets of a window in a time zone, and the window's limits. Pure.
import { DateTime, IANAZone } from 'luxon';
import { GatewayError } from '../../common/errors/gateway-error.js';

export type StatsBucketName = 'DAY' | 'WEEK' | 'MONTH';
export const DEFAULT_TIME_ZONE = 'Asia/Ho_Chi_Minh';

const UNIT = { DAY: 'day', WEEK: 'week', MONTH: 'month' } as const;
/** Longest window per bucket size: bounds the answer (and the query's bucket array). */
export const MAX_WINDOW_YEARS: Record<StatsBucketName, number> = { DAY: 2, WEEK: 10, MONTH: 10 };

export interface CountWindow {
  since: Date;
  until: Date;
  bucket: StatsBucketName;
  timeZone: string;
}

export interface BucketCount {
  bucketStart: Date;
  count: number;
}

/** The window checked: a real IANA zone, since before until, not longer than the bucket allows. */
export function checkCountWindow(window: CountWindow): CountWindow {
  if (!IANAZone.isValidZone(window.timeZone))
    throw GatewayError.badInput([
      {
        field: 'timeZone',
        rule: 'must be an IANA time zone name (like Asia/Ho_Chi_Minh)',
        value: window.timeZone,
      },
    ]);
  if (window.until.getTime() <= window.since.getTime())
    throw GatewayError.badInput([{ field: 'until', rule: 'must be after since' }]);
  const years = MAX_WINDOW_YEARS[window.bucket];
  const limit = DateTime.fromJSDate(window.since, { zone: 'utc' }).plus({ years });
  if (window.until.getTime() > limit.toMillis())
    throw GatewayError.badInput([
      {
        field: 'until',
        rule: `must be at most ${years} years after since for ${window.bucket} buckets`,
      },
    ]);
  return window;
}

/**
 * The bucket starts covering [since, until), as instants: local midnights of the zone (ISO
 * weeks start on Monday), the first one at or before `since`, then one past the last bucket so
 * every bucket has an upper edge. DST is kept: a local day can last 23 or 25 hours.
 */
export function bucketEdges(window: CountWindow): Date[] {
  const unit = UNIT[window.bucket];
  let edge = DateTime.fromJSDate(window.since, { zone: window.timeZone }).startOf(unit);
  const edges: Date[] = [edge.toJSDate()];
  const until = window.until.getTime();
  while (edge.toMillis() < until) {
    edge = edge.plus({ [`${unit}s`]: 1 }).startOf(unit);
    edges.push(edge.toJSDate());
  }
  return edges;
}

/**
 * Every bucket with its count, empty ones included. `counted` maps PostgreSQL's
 * `width_bucket(inserted_at, edges)` (i: edges[i-1] <= t < edges[i]) to its count.
 */
export function bucketCounts(
  edges: readonly Date[],
  counted: ReadonlyMap<number, number>,
): BucketCount[] {
  return edges
    .slice(0, -1)
    .map((bucketStart, i) => ({ bucketStart, count: counted.get(i + 1) ?? 0 }));
}
