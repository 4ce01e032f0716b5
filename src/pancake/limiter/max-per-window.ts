/**
 * The largest number of times falling in any half-open window [t, t + windowMs).
 * Used to check a schedule against the upstream's "at most N per 1000 ms" rule.
 */
export function maxPerWindow(times: readonly number[], windowMs = 1000): number {
  const sorted = [...times].sort((a, b) => a - b);
  let max = 0;
  let start = 0;
  for (let end = 0; end < sorted.length; end += 1) {
    while (sorted[end] - sorted[start] >= windowMs) start += 1;
    max = Math.max(max, end - start + 1);
  }
  return max;
}
