// A page's list windows answered in memory: which customers a window holds, in upstream's
// order, and how many. Counting a window of thousands of rows in the database costs more than
// reading the 100 rows of its page, and on PGlite the query for a page of ids cost more than
// the rest of a mirrored read. Pure: no I/O, the store keeps it current.

/** The two columns a list window can be on. */
export type WindowColumn = 'inserted_at' | 'updated_at';

/**
 * A customer's two timestamps, epoch ms (null: upstream sent none; such a row is in no window),
 * and the mirror version its row last changed at (the key its record is kept under).
 */
export interface WindowStamps {
  id: string;
  insertedAt: number | null;
  updatedAt: number | null;
  version: number;
}

/** One customer of a window's page: its id and the version its record is kept under. */
export interface WindowRow {
  id: string;
  version: number;
}

/**
 * Per column, the customers in list order (newest first, then id ascending by code unit, as
 * upstream pages them), each customer one object shared by both orders.
 */
export class WindowIndex {
  private readonly byId = new Map<string, WindowStamps>();
  private inserted: WindowStamps[] = [];
  private updated: WindowStamps[] = [];

  constructor(rows: readonly WindowStamps[] = []) {
    for (const row of rows) this.byId.set(row.id, { ...row });
    this.resort();
  }

  get size(): number {
    return this.byId.size;
  }

  /** Rows with `from <= column < to` (epoch ms). */
  count(column: WindowColumn, fromMs: number, toMs: number): number {
    const [start, end] = this.bounds(column, fromMs, toMs);
    return end - start;
  }

  /** The window's rows from `offset` on, at most `limit`, in list order. */
  page(
    column: WindowColumn,
    fromMs: number,
    toMs: number,
    offset: number,
    limit: number,
  ): WindowRow[] {
    const [start, end] = this.bounds(column, fromMs, toMs);
    const sorted = this.sortedBy(column);
    const rows: WindowRow[] = [];
    for (let at = start + offset; at < end && rows.length < limit; at += 1) {
      const row = sorted[at] as WindowStamps;
      rows.push({ id: row.id, version: row.version });
    }
    return rows;
  }

  /**
   * Customers as they are now (new or changed; the same row twice is harmless). Many at once
   * (a backfill's worth) are cheaper re-sorted whole than placed one by one.
   */
  update(rows: readonly WindowStamps[]): void {
    if (rows.length > Math.max(64, this.byId.size / 16)) {
      for (const row of rows) this.byId.set(row.id, { ...row });
      this.resort();
      return;
    }
    for (const row of rows) {
      const before = this.byId.get(row.id);
      if (before) {
        remove(this.inserted, before, 'insertedAt');
        remove(this.updated, before, 'updatedAt');
      }
      const now = { ...row };
      this.byId.set(row.id, now);
      insert(this.inserted, now, 'insertedAt');
      insert(this.updated, now, 'updatedAt');
    }
  }

  /** [start, end): the window's positions in its column's order. */
  private bounds(column: WindowColumn, fromMs: number, toMs: number): [number, number] {
    if (toMs <= fromMs) return [0, 0];
    const sorted = this.sortedBy(column);
    const field = column === 'inserted_at' ? 'insertedAt' : 'updatedAt';
    // Newest first: the window starts at the first row older than `to`, ends at the first
    // row older than `from`.
    return [firstOlder(sorted, field, toMs), firstOlder(sorted, field, fromMs)];
  }

  private sortedBy(column: WindowColumn): WindowStamps[] {
    return column === 'inserted_at' ? this.inserted : this.updated;
  }

  private resort(): void {
    const all = [...this.byId.values()];
    this.inserted = all.filter((row) => row.insertedAt !== null).sort(listOrder('insertedAt'));
    this.updated = all.filter((row) => row.updatedAt !== null).sort(listOrder('updatedAt'));
  }
}

type StampField = 'insertedAt' | 'updatedAt';

/** Newest first, then id ascending by code unit (upstream's order, and the simulator's). */
function listOrder(field: StampField): (a: WindowStamps, b: WindowStamps) => number {
  return (a, b) =>
    (b[field] as number) - (a[field] as number) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The first position whose stamp is below `ms` (the array is newest first). */
function firstOlder(sorted: readonly WindowStamps[], field: StampField, ms: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (((sorted[middle] as WindowStamps)[field] as number) >= ms) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The first position that sorts after `row` (or is it). */
function positionOf(sorted: readonly WindowStamps[], row: WindowStamps, field: StampField): number {
  const order = listOrder(field);
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (order(sorted[middle] as WindowStamps, row) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function insert(sorted: WindowStamps[], row: WindowStamps, field: StampField): void {
  if (row[field] !== null) sorted.splice(positionOf(sorted, row, field), 0, row);
}

function remove(sorted: WindowStamps[], row: WindowStamps, field: StampField): void {
  if (row[field] === null) return;
  const at = positionOf(sorted, row, field);
  if (sorted[at]?.id === row.id) sorted.splice(at, 1);
}
