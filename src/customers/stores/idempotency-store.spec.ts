import type { NoteRecord } from '../../pancake/pancake.model.js';
import {
  behavesLikeAnIdempotencyStore,
  note,
  SCOPE,
} from '../../../test/support/contracts/idempotency-store.contract.js';
import { MemoryIdempotencyStore } from './memory-idempotency-store.js';
import { createIdempotencyStore } from './stores.providers.js';

describe('MemoryIdempotencyStore', () => {
  behavesLikeAnIdempotencyStore(() => new MemoryIdempotencyStore<NoteRecord>());

  it('expires a result after ttlSeconds and a crashed in-progress marker after the pending TTL', async () => {
    let now = 1_000_000;
    const store = new MemoryIdempotencyStore<NoteRecord>({
      now: () => now,
      pendingTtlSeconds: 300,
    });
    expect(await store.begin(SCOPE, 'k', 'fp')).toEqual({ state: 'started' });
    now += 299_000;
    expect(await store.begin(SCOPE, 'k', 'fp')).toEqual({ state: 'in-progress' });
    now += 1_000;
    expect(await store.begin(SCOPE, 'k', 'fp')).toEqual({ state: 'started' });
    await store.complete(SCOPE, 'k', 'fp', note());
    now += 86_399_000;
    expect(await store.begin(SCOPE, 'k', 'fp')).toMatchObject({ state: 'replay' });
    now += 1_000;
    expect(await store.begin(SCOPE, 'k', 'other')).toEqual({ state: 'started' });
  });

  it('never keeps a result less than 24 h', async () => {
    let now = 0;
    const store = new MemoryIdempotencyStore<NoteRecord>({ now: () => now, ttlSeconds: 60 });
    await store.begin(SCOPE, 'k', 'fp');
    await store.complete(SCOPE, 'k', 'fp', note());
    now = 86_399_000;
    expect(await store.begin(SCOPE, 'k', 'fp')).toMatchObject({ state: 'replay' });
  });

  it('is bounded: expired keys go first, then the oldest', async () => {
    let now = 0;
    const store = new MemoryIdempotencyStore<NoteRecord>({
      now: () => now,
      maxEntries: 3,
      pendingTtlSeconds: 10,
    });
    await store.begin(SCOPE, 'short', 'fp'); // expires at 10 s
    await store.begin(SCOPE, 'a', 'fp');
    await store.complete(SCOPE, 'a', 'fp', note());
    await store.begin(SCOPE, 'b', 'fp');
    await store.complete(SCOPE, 'b', 'fp', note());
    now = 20_000;
    await store.begin(SCOPE, 'c', 'fp');
    expect(store.size).toBe(3);
    expect(await store.begin(SCOPE, 'a', 'fp')).toMatchObject({ state: 'replay' });
    await store.begin(SCOPE, 'd', 'fp'); // full, nothing expired: the oldest written ('a') goes
    expect(store.size).toBe(3);
    expect(await store.begin(SCOPE, 'b', 'fp')).toMatchObject({ state: 'replay' });
    expect(await store.begin(SCOPE, 'a', 'fp')).toEqual({ state: 'started' });
  });

  it('hands out the result as a copy', async () => {
    const store = new MemoryIdempotencyStore<NoteRecord>();
    const result = note();
    await store.begin(SCOPE, 'copy', 'fp');
    await store.complete(SCOPE, 'copy', 'fp', result);
    result.message = 'mutated';
    const replay = await store.begin(SCOPE, 'copy', 'fp');
    expect(replay.state === 'replay' && replay.result.message).toBe('hello');
  });

  it('is what the factory builds without Redis', () => {
    expect(createIdempotencyStore<NoteRecord>(null)).toBeInstanceOf(MemoryIdempotencyStore);
  });
});
