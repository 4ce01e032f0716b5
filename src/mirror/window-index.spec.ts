import { WindowIndex, type WindowColumn, type WindowStamps } from './window-index.js';

const stamp = (
  id: string,
  insertedAt: number | null,
  updatedAt: number | null,
  version = 1,
): WindowStamps => ({ id, insertedAt, updatedAt, version });

/** What a database's `from <= column < to order by column desc, id` would return. */
function windowByHand(
  rows: Map<string, WindowStamps>,
  column: WindowColumn,
  from: number,
  to: number,
): WindowStamps[] {
  const field = column === 'inserted_at' ? 'insertedAt' : 'updatedAt';
  return [...rows.values()]
    .filter((row) => row[field] !== null && row[field] >= from && row[field] < to)
    .sort(
      (a, b) =>
        (b[field] as number) - (a[field] as number) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
}

describe('WindowIndex', () => {
  it('counts from (inclusive) to (exclusive), equal stamps included, nulls in no window', () => {
    const index = new WindowIndex([
      stamp('a', 1000, 5000),
      stamp('b', 2000, 5000),
      stamp('c', 2000, null),
      stamp('d', null, 7000),
    ]);
    expect(index.count('inserted_at', 1000, 2000)).toBe(1);
    expect(index.count('inserted_at', 1000, 2001)).toBe(3);
    expect(index.count('inserted_at', 0, Number.MAX_SAFE_INTEGER)).toBe(3);
    expect(index.count('updated_at', 5000, 5001)).toBe(2);
    expect(index.count('updated_at', 5001, 7000)).toBe(0);
    expect(index.count('updated_at', 7000, 7000)).toBe(0);
    expect(index.count('updated_at', 9000, 1000)).toBe(0);
  });

  it('pages newest first, equal stamps by id ascending (code units), with versions', () => {
    const index = new WindowIndex([
      stamp('b', 2000, 1, 4),
      stamp('a', 2000, 1, 5),
      stamp('Z', 2000, 1, 6), // 'Z' < 'a' by code unit, as upstream orders them
      stamp('c', 3000, 1, 7),
      stamp('d', 1000, 1, 8),
    ]);
    expect(index.page('inserted_at', 1000, 3001, 0, 10)).toEqual([
      { id: 'c', version: 7 },
      { id: 'Z', version: 6 },
      { id: 'a', version: 5 },
      { id: 'b', version: 4 },
      { id: 'd', version: 8 },
    ]);
    expect(index.page('inserted_at', 1000, 3001, 1, 2).map((row) => row.id)).toEqual(['Z', 'a']);
    expect(index.page('inserted_at', 1000, 2000, 0, 10).map((row) => row.id)).toEqual(['d']);
    expect(index.page('inserted_at', 1000, 3001, 5, 10)).toEqual([]);
  });

  it('moves a changed customer instead of keeping it twice, with its new version', () => {
    const index = new WindowIndex([stamp('a', 1000, 1000), stamp('b', 1000, 1000)]);
    index.update([stamp('a', 1000, 9000, 2)]);
    index.update([stamp('a', 1000, 9000, 2)]); // the same change seen again
    expect(index.size).toBe(2);
    expect(index.count('updated_at', 0, 2000)).toBe(1);
    expect(index.page('updated_at', 9000, 9001, 0, 10)).toEqual([{ id: 'a', version: 2 }]);
    expect(index.count('inserted_at', 1000, 1001)).toBe(2);
    index.update([stamp('b', null, null, 3)]);
    expect(index.count('inserted_at', 0, 10_000)).toBe(1);
    expect(index.page('updated_at', 0, 10_000, 0, 10)).toEqual([{ id: 'a', version: 2 }]);
  });

  it('equals a window by hand after random changes, one by one and in bulk', () => {
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const truth = new Map<string, WindowStamps>();
    const index = new WindowIndex();
    for (let round = 0; round < 60; round += 1) {
      const batch: WindowStamps[] = [];
      const size = round % 10 === 0 ? 500 : 1 + random(20);
      for (let i = 0; i < size; i += 1) {
        // Few distinct stamps: many ties, so the id order is exercised.
        const row = stamp(
          `c${random(400)}`,
          random(10) === 0 ? null : random(100) * 10,
          random(100) * 10,
          round,
        );
        batch.push(row);
        truth.set(row.id, row);
      }
      index.update(batch);
      for (let probe = 0; probe < 20; probe += 1) {
        const from = random(1100) - 50;
        const to = from + random(600);
        const offset = random(30);
        const limit = 1 + random(40);
        for (const column of ['inserted_at', 'updated_at'] as const) {
          const expected = windowByHand(truth, column, from, to);
          expect(index.count(column, from, to)).toBe(expected.length);
          expect(index.page(column, from, to, offset, limit)).toEqual(
            expected
              .slice(offset, offset + limit)
              .map((row) => ({ id: row.id, version: row.version })),
          );
        }
      }
    }
    expect(index.size).toBe(truth.size);
  });
});
