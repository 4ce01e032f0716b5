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
 *
 * Luxon's plus(1 unit).startOf(unit) per edge asks the zone's offset five or six times (~150
 * µs under load, more than the count's query for a year of days): each next edge is taken as
 * the next local midnight at the previous edge's offset, kept when the zone confirms that
 * offset there (one look-up), else computed by Luxon (an offset change: DST, a zone's new rule).
 */
export function bucketEdges(window: CountWindow): Date[] {
  const unit = UNIT[window.bucket];
  const zone = IANAZone.create(window.timeZone);
  const first = DateTime.fromJSDate(window.since, { zone }).startOf(unit);
  let at = first.toMillis();
  let offset = first.offset;
  const edges: Date[] = [new Date(at)];
  const until = window.until.getTime();
  while (at < until) {
    const guess = nextLocalStart(at + offset * MINUTE_MS, unit) - offset * MINUTE_MS;
    if (zone.offset(guess) === offset) at = guess;
    else {
      const next = DateTime.fromMillis(at, { zone })
        .plus({ [`${unit}s`]: 1 })
        .startOf(unit);
      at = next.toMillis();
      offset = next.offset;
    }
    edges.push(new Date(at));
  }
  return edges;
}

const MINUTE_MS = 60_000;

/** The next local start of `unit` after the local wall time `localMs` (read as UTC fields). */
function nextLocalStart(localMs: number, unit: 'day' | 'week' | 'month'): number {
  const local = new Date(localMs);
  const [year, month, day] = [local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate()];
  if (unit === 'month') return Date.UTC(year, month + 1, 1);
  if (unit === 'day') return Date.UTC(year, month, day + 1);
  // ISO weeks: the next Monday.
  return Date.UTC(year, month, day + 7 - ((local.getUTCDay() + 6) % 7));
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

/** The mirror keeps inserted counts per 15-minute slot (0004_inserted_counts), 96 per UTC day. */
export const SLOT_MS = 15 * 60_000;
const DAY_MS = 86_400_000;

/** One stored day of slot counts: days since 1970-01-01 (UTC), then its 96 slots in order. */
export interface SlotDay {
  dayNo: number;
  slots: readonly number[];
}

/** An instant range [from, to) on slot edges. */
export interface SlotSpan {
  from: Date;
  to: Date;
}

/** The UTC days holding the slots of a span: [fromDay, toDay), days since 1970-01-01. */
export function slotDays(span: SlotSpan): { fromDay: number; toDay: number } {
  return {
    fromDay: Math.floor(span.from.getTime() / DAY_MS),
    toDay: Math.ceil(span.to.getTime() / DAY_MS),
  };
}

/**
 * The part of [since, until) the slot counts answer: since rounded up to until rounded down to a
 * slot edge, the ragged ends around it being counted row by row. Null (count every row) when
 * that part is empty or a bucket edge inside the window is not on a slot edge (an offset that
 * is no multiple of 15 minutes, like a zone's local mean time before standard time).
 */
export function slotSpan(since: Date, until: Date, edges: readonly Date[]): SlotSpan | null {
  const from = Math.ceil(since.getTime() / SLOT_MS) * SLOT_MS;
  const to = Math.floor(until.getTime() / SLOT_MS) * SLOT_MS;
  if (from >= to) return null;
  for (const edge of edges) {
    const at = edge.getTime();
    if (at > since.getTime() && at < until.getTime() && at % SLOT_MS !== 0) return null;
  }
  return { from: new Date(from), to: new Date(to) };
}

/**
 * The slots of `span` summed per bucket, numbered as `width_bucket` numbers them (i: edges[i-1]
 * <= slot start < edges[i]); every edge inside the span is a slot edge (slotSpan), so a slot
 * never straddles two buckets.
 */
export function slotBucketCounts(
  edges: readonly Date[],
  span: SlotSpan,
  days: readonly SlotDay[],
): Map<number, number> {
  const counts = new Map<number, number>();
  const from = span.from.getTime();
  const to = span.to.getTime();
  let bucket = 1;
  for (const day of [...days].sort((a, b) => a.dayNo - b.dayNo))
    day.slots.forEach((count, slot) => {
      const at = day.dayNo * DAY_MS + slot * SLOT_MS;
      if (count === 0 || at < from || at >= to) return;
      while (bucket < edges.length - 1 && edges[bucket]!.getTime() <= at) bucket += 1;
      counts.set(bucket, (counts.get(bucket) ?? 0) + count);
    });
  return counts;
}

/** Bucket counts added up (the slots' and the ragged ends'). */
export function addCounts(...parts: ReadonlyMap<number, number>[]): Map<number, number> {
  const sum = new Map<number, number>();
  for (const part of parts)
    for (const [bucket, count] of part) sum.set(bucket, (sum.get(bucket) ?? 0) + count);
  return sum;
}
