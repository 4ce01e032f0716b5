import { BatchedWrites } from './batched-writes.js';

describe('BatchedWrites', () => {
  it('writes the first at once and what arrives meanwhile in one batch', async () => {
    const batches: number[][] = [];
    let finishFirst!: () => void;
    const writes = new BatchedWrites<number>(async (items) => {
      batches.push(items);
      if (batches.length === 1) await new Promise<void>((resolve) => (finishFirst = resolve));
    });
    const first = writes.add(1);
    const rest = [writes.add(2), writes.add(3), writes.add(4)];
    finishFirst();
    await Promise.all([first, ...rest]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('rejects every write of a failed batch, and goes on with the next', async () => {
    let fail = true;
    const writes = new BatchedWrites<number>(() =>
      fail ? Promise.reject(new Error('down')) : Promise.resolve(),
    );
    await expect(writes.add(1)).rejects.toThrow('down');
    fail = false;
    await expect(writes.add(2)).resolves.toBeUndefined();
  });

  it('caps a batch', async () => {
    const sizes: number[] = [];
    let finishFirst!: () => void;
    const writes = new BatchedWrites<number>(async (items) => {
      sizes.push(items.length);
      if (sizes.length === 1) await new Promise<void>((resolve) => (finishFirst = resolve));
    }, 2);
    const all = [1, 2, 3, 4, 5].map((n) => writes.add(n));
    finishFirst();
    await Promise.all(all);
    expect(sizes).toEqual([1, 2, 2]);
  });
});
