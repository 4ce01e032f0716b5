// How a scan walks a time window of upstream's list without losing rows to offset shifts.
// Pure: it only says which request comes next given the last answer.
//
// A scan reads [since, until] (Unix seconds, both inclusive) ordered by updated_at, newest
// first, always page 1 of a shrinking window: after a full page, `until` moves down to the
// second of its last row (that second is read again; rows already mirrored are ignored by
// content). A row changed during the scan jumps above the scan's first `until` and is left
// to the next delta, so nothing slides past a page boundary unseen. Only a single second
// holding more than a page is read by page number, and is read again if its total moves.

export const SCAN_PAGE_SIZE = 100;

export interface ScanPosition {
  /** Lower edge (seconds): 0 for a full sweep, watermark minus the overlap for a delta. */
  since: number;
  /** Upper edge (seconds) still to read. */
  until: number;
  /** 1, or the page number inside the crowded second `until`. */
  pageNumber: number;
  /** Total of the crowded second when its paging began (a change restarts it). */
  secondTotal: number | null;
}

export interface ScanRequest {
  since: number;
  until: number;
  pageNumber: number;
}

export interface ScanAnswer {
  total: number;
  /** updated_at of each row, newest first, as Unix milliseconds (null when upstream has none). */
  updatedAtMs: readonly (number | null)[];
}

export type ScanStep =
  | { done: true; remaining: 0 }
  | {
      done: false;
      next: ScanPosition;
      /** rows still ahead in the window (for progress) */ remaining: number;
    };

export function startScan(since: number, until: number): ScanPosition {
  return { since, until, pageNumber: 1, secondTotal: null };
}

export function requestOf(position: ScanPosition): ScanRequest {
  return position.pageNumber === 1
    ? { since: position.since, until: position.until, pageNumber: 1 }
    : { since: position.until, until: position.until, pageNumber: position.pageNumber };
}

export function isFinished(position: ScanPosition): boolean {
  return position.until < position.since;
}

/** The position after `answer` to requestOf(position). */
export function advance(position: ScanPosition, answer: ScanAnswer): ScanStep {
  const rows = answer.updatedAtMs.length;
  if (position.pageNumber > 1) return advanceInSecond(position, answer);
  if (rows < SCAN_PAGE_SIZE || answer.total <= SCAN_PAGE_SIZE) return { done: true, remaining: 0 };
  const last = answer.updatedAtMs[rows - 1];
  const lastSecond = last === null || last === undefined ? position.since : Math.floor(last / 1000);
  const remaining = Math.max(0, answer.total - rows);
  if (lastSecond < position.until)
    return {
      done: false,
      remaining,
      next: { ...position, until: lastSecond, pageNumber: 1, secondTotal: null },
    };
  // A whole page inside one second: page through that second.
  return { done: false, remaining, next: { ...position, pageNumber: 2, secondTotal: null } };
}

function advanceInSecond(position: ScanPosition, answer: ScanAnswer): ScanStep {
  if (position.secondTotal !== null && answer.total !== position.secondTotal)
    // Rows joined or left the second while it was paged: offsets moved, read it again.
    return {
      done: false,
      remaining: answer.total,
      next: { ...position, pageNumber: 1, secondTotal: null },
    };
  const read = position.pageNumber * SCAN_PAGE_SIZE;
  if (read < answer.total && answer.updatedAtMs.length === SCAN_PAGE_SIZE)
    return {
      done: false,
      remaining: answer.total - read,
      next: { ...position, pageNumber: position.pageNumber + 1, secondTotal: answer.total },
    };
  const below: ScanPosition = {
    ...position,
    until: position.until - 1,
    pageNumber: 1,
    secondTotal: null,
  };
  return isFinished(below)
    ? { done: true, remaining: 0 }
    : { done: false, remaining: 0, next: below };
}
