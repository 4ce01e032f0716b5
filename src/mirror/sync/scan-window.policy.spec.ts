import {
  advance,
  requestOf,
  SCAN_PAGE_SIZE,
  startScan,
  type ScanPosition,
} from './scan-window.policy.js';

/** A fake upstream list over rows with these updated_at (ms): [since, until] whole seconds, newest first. */
function upstream(rowsMs: number[]) {
  const sorted = [...rowsMs].sort((a, b) => b - a);
  return (position: ScanPosition) => {
    const request = requestOf(position);
    const inWindow = sorted.filter(
      (ms) => ms >= request.since * 1000 && ms < (request.until + 1) * 1000,
    );
    const from = (request.pageNumber - 1) * SCAN_PAGE_SIZE;
    return { total: inWindow.length, updatedAtMs: inWindow.slice(from, from + SCAN_PAGE_SIZE) };
  };
}

function scanAll(
  rowsMs: number[],
  since = 0,
  until = 10_000,
): { seen: number[]; requests: number } {
  const list = upstream(rowsMs);
  let position: ScanPosition | null = startScan(since, until);
  const seen: number[] = [];
  let requests = 0;
  while (position) {
    const answer = list(position);
    requests += 1;
    seen.push(...answer.updatedAtMs);
    const step = advance(position, answer);
    position = step.done ? null : step.next;
    if (requests > 1000) throw new Error('scan does not end');
  }
  return { seen, requests };
}

describe('scan windows', () => {
  it('reads a window that fits one page with one request', () => {
    const { seen, requests } = scanAll([1000, 2000, 3000]);
    expect(requests).toBe(1);
    expect(seen).toHaveLength(3);
  });

  it('reads every row of a large window, one page per request plus the edge seconds', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => i * 3_000 + 7); // one row every 3 s
    const { seen, requests } = scanAll(rows);
    expect(new Set(seen)).toEqual(new Set(rows));
    expect(requests).toBeLessThanOrEqual(11);
  });

  it('pages through a second that holds more than a page, and goes on below it', () => {
    const crowded = Array.from({ length: 250 }, (_, i) => 5_000_000 + i); // 250 rows in second 5000
    const below = Array.from({ length: 30 }, (_, i) => 1_000_000 + i * 1000);
    const { seen } = scanAll([...crowded, ...below]);
    expect(new Set(seen)).toEqual(new Set([...crowded, ...below]));
  });

  it('starts a crowded second again when its total moves while it is paged', () => {
    const position: ScanPosition = { since: 0, until: 50, pageNumber: 3, secondTotal: 250 };
    const step = advance(position, { total: 251, updatedAtMs: [] });
    expect(step).toMatchObject({ done: false, next: { until: 50, pageNumber: 1 } });
  });

  it('stops a delta at its lower edge', () => {
    const rows = Array.from({ length: 300 }, (_, i) => i * 1000);
    const { seen } = scanAll(rows, 200, 299);
    expect(Math.min(...seen)).toBe(200_000);
    expect(new Set(seen).size).toBe(100);
  });

  it('gives the rows still ahead for progress', () => {
    const step = advance(startScan(0, 100), {
      total: 250,
      updatedAtMs: Array.from({ length: 100 }, (_, i) => (100 - i) * 1000),
    });
    expect(step).toMatchObject({ done: false, remaining: 150, next: { until: 1, pageNumber: 1 } });
  });
});
