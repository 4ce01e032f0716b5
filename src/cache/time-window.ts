/** A read window as the transports pass it (both ends inclusive, as upstream treats them). */
export interface TimeWindow {
  since: Date;
  until: Date;
}

/**
 * Makes windows that end "now" cacheable: a client asking for `until = now` sends a new
 * instant every request, so every request would be a new cache key.
 *
 * - `until` within the last `ttlSeconds` (or in the future) is rounded UP to the next
 *   multiple of the TTL in Unix seconds, so every "until now" asked within one TTL-long
 *   grid cell maps to the same key. This is safe because the cache already promises only
 *   TTL-bounded staleness: a cached "until now" answer is up to one TTL old anyway, and the
 *   wider end only admits records newer than the asked `until` by less than one TTL.
 *   It is never earlier than asked, so no record the caller asked for is dropped.
 * - an older `until` is only rounded up to whole seconds (upstream takes seconds).
 * - `since` is floored to whole seconds and otherwise left alone: moving it earlier would
 *   return records from before the asked window, which TTL staleness does not excuse.
 */
export function alignWindowToTtlGrid(
  window: TimeWindow,
  ttlSeconds: number,
  now: Date,
): TimeWindow {
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 1) {
    throw new RangeError('ttlSeconds must be a positive integer');
  }
  const sinceMs = window.since.getTime();
  const untilMs = window.until.getTime();
  if (!Number.isFinite(sinceMs) || !Number.isFinite(untilMs) || !Number.isFinite(now.getTime())) {
    throw new RangeError('since, until and now must be valid dates');
  }
  const sinceSeconds = Math.floor(sinceMs / 1000);
  const untilSeconds = Math.ceil(untilMs / 1000);
  // Judged on the whole-second until, so aligning an aligned window changes nothing.
  const recent = untilSeconds * 1000 >= now.getTime() - ttlSeconds * 1000;
  const alignedUntil = recent ? Math.ceil(untilSeconds / ttlSeconds) * ttlSeconds : untilSeconds;
  return { since: new Date(sinceSeconds * 1000), until: new Date(alignedUntil * 1000) };
}
