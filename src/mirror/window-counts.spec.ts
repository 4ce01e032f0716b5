import { WindowCounts, type WindowStamps } from './window-counts.js';

const stamp = (id: string, insertedAt: number | null, updatedAt: number | null): WindowStamps => ({
  id,
  insertedAt,
  updatedAt,
});

/** What a database's `from <= column < to` would count. */
function countByHand(
  rows: Map<string, WindowStamps>,
  column: 'inserted_at' | 'updated_at',
  from: number,
  to: number,
): number {
  let n = 0;
  for (const row of rows.values()) {
    const value = column === 'inserted_at' ? row.insertedAt : row.updatedAt;
    if (value !== null && value >= from && value < to) n += 1;
  }
  return n;
}

describe('WindowCounts', () => {
  it('counts from (inclusive) to (exclusive), equal stamps included, nulls in no window', () => {
    const counts = new WindowCounts([
      stamp('a', 1000, 5000),
      stamp('b', 2000, 5000),
      stamp('c', 2000, null),
      stamp('d', null, 7000),
    ]);
    expect(counts.count('inserted_at', 1000, 2000)).toBe(1);
    expect(counts.count('inserted_at', 1000, 2001)).toBe(3);
    expect(counts.count('inserted_at', 0, Number.MAX_SAFE_INTEGER)).toBe(3);
    expect(counts.count('updated_at', 5000, 5001)).toBe(2);
    expect(counts.count('updated_at', 5001, 7000)).toBe(0);
    expect(counts.count('updated_at', 7000, 7000)).toBe(0);
    expect(counts.count('updated_at', 9000, 1000)).toBe(0);
  });

  it('moves a changed customer instead of counting it twice', () => {
    const counts = new WindowCounts([stamp('a', 1000, 1000), stamp('b', 1000, 1000)]);
    counts.update([stamp('a', 1000, 9000)]);
    counts.update([stamp('a', 1000, 9000)]); // the same change seen again
    expect(counts.size).toBe(2);
    expect(counts.count('updated_at', 0, 2000)).toBe(1);
    expect(counts.count('updated_at', 9000, 9001)).toBe(1);
    expect(counts.count('inserted_at', 1000, 1001)).toBe(2);
    counts.update([stamp('b', null, null)]);
    expect(counts.count('inserted_at', 0, 10_000)).toBe(1);
  });

  it('equals a count by hand after random changes, one by one and in bulk', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const truth = new Map<string, WindowStamps>();
    const counts = new WindowCounts();
    for (let round = 0; round < 60; round += 1) {
      const batch: WindowStamps[] = [];
      const size = round % 10 === 0 ? 500 : 1 + random(20);
      for (let i = 0; i < size; i += 1) {
        const row = stamp(`c${random(400)}`, random(10) === 0 ? null : random(1000), random(1000));
        batch.push(row);
        truth.set(row.id, row);
      }
      counts.update(batch);
      for (let probe = 0; probe < 20; probe += 1) {
        const from = random(1100) - 50;
        const to = from + random(600);
        for (const column of ['inserted_at', 'updated_at'] as const)
          expect(counts.count(column, from, to)).toBe(countByHand(truth, column, from, to));
      }
    }
    expect(counts.size).toBe(truth.size);
  });
});
