// How many of a page's customers fall in a list window, answered in memory: upstream's lists
// carry a total, and counting a window of thousands of rows in the database costs more than
// reading the 100 rows of its page. Pure: no I/O, the store keeps it current.

/** The two columns a list window can be on. */
export type WindowColumn = 'inserted_at' | 'updated_at';

/** A customer's two timestamps, epoch ms (null: upstream sent none; such a row is in no window). */
export interface WindowStamps {
  id: string;
  insertedAt: number | null;
  updatedAt: number | null;
}

/**
 * Sorted timestamps per column plus each customer's current pair, so a changed customer's old
 * stamps can be taken out before its new ones go in.
 */
export class WindowCounts {
  private readonly byId = new Map<string, [number | null, number | null]>();
  private inserted: number[] = [];
  private updated: number[] = [];

  constructor(rows: readonly WindowStamps[] = []) {
    for (const row of rows) this.byId.set(row.id, [row.insertedAt, row.updatedAt]);
    this.resort();
  }

  get size(): number {
    return this.byId.size;
  }

  /** Rows with `from <= column < to` (epoch ms). */
  count(column: WindowColumn, fromMs: number, toMs: number): number {
    const sorted = column === 'inserted_at' ? this.inserted : this.updated;
    if (toMs <= fromMs) return 0;
    return lowerBound(sorted, toMs) - lowerBound(sorted, fromMs);
  }

  /**
   * Customers as they are now (new or changed; the same row twice is harmless). Many at once
   * (a backfill's worth) are cheaper re-sorted whole than placed one by one.
   */
  update(rows: readonly WindowStamps[]): void {
    if (rows.length > Math.max(64, this.byId.size / 16)) {
      for (const row of rows) this.byId.set(row.id, [row.insertedAt, row.updatedAt]);
      this.resort();
      return;
    }
    for (const row of rows) {
      const before = this.byId.get(row.id);
      if (before) {
        remove(this.inserted, before[0]);
        remove(this.updated, before[1]);
      }
      this.byId.set(row.id, [row.insertedAt, row.updatedAt]);
      insert(this.inserted, row.insertedAt);
      insert(this.updated, row.updatedAt);
    }
  }

  private resort(): void {
    const inserted: number[] = [];
    const updated: number[] = [];
    for (const [insertedAt, updatedAt] of this.byId.values()) {
      if (insertedAt !== null) inserted.push(insertedAt);
      if (updatedAt !== null) updated.push(updatedAt);
    }
    this.inserted = inserted.sort(ascending);
    this.updated = updated.sort(ascending);
  }
}

const ascending = (a: number, b: number): number => a - b;

/** The first index whose value is >= `value`. */
function lowerBound(sorted: readonly number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sorted[middle] as number) < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

function insert(sorted: number[], value: number | null): void {
  if (value !== null) sorted.splice(lowerBound(sorted, value), 0, value);
}

function remove(sorted: number[], value: number | null): void {
  if (value === null) return;
  const at = lowerBound(sorted, value);
  if (sorted[at] === value) sorted.splice(at, 1);
}
