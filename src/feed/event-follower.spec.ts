import { Subject } from 'rxjs';
import type { CustomerEventType } from '../mirror/customer-events.policy.js';
import type { StoredEvent } from '../mirror/mirror.store.js';
import { EventFollower } from './event-follower.js';
import type { FeedSignal } from './feed-signals.js';

/** An in-memory events table with the store's read semantics, counting reads. */
function table() {
  const rows: StoredEvent[] = [];
  const state = { reads: 0 };
  const read = (
    pageId: string,
    after: number,
    limit: number,
    types: readonly CustomerEventType[] | null,
  ) => {
    state.reads += 1;
    return Promise.resolve(
      rows
        .filter((e) => e.pageId === pageId && e.seq > after && (!types || types.includes(e.type)))
        .slice(0, limit),
    );
  };
  const add = (pageId: string, type: CustomerEventType = 'CUSTOMER_CREATED'): StoredEvent => {
    const seq = rows.filter((e) => e.pageId === pageId).length + 1;
    const event = { pageId, seq, type, id: `evt_${pageId}_${seq}` } as StoredEvent;
    rows.push(event);
    return event;
  };
  return { rows, read, add, state };
}

async function take(follower: EventFollower, count: number): Promise<number[]> {
  const seqs: number[] = [];
  while (seqs.length < count) {
    const next = await follower.next();
    if (next.done) break;
    seqs.push(next.value.seq);
  }
  return seqs;
}

describe('EventFollower', () => {
  it('delivers stored events after the cursor, then live ones, with no gap and no repeat', async () => {
    const db = table();
    const signals = new Subject<FeedSignal>();
    for (let i = 0; i < 250; i += 1) db.add('111');
    const follower = new EventFollower(db.read, '111', 7, null, signals);
    const stored = await take(follower, 243);
    expect(stored).toEqual(Array.from({ length: 243 }, (_, i) => i + 8));

    const pending = take(follower, 3);
    for (let i = 0; i < 3; i += 1) signals.next({ pageId: '111', seq: db.add('111').seq });
    // A repeated and a stale signal change nothing.
    signals.next({ pageId: '111', seq: 252 });
    signals.next({ pageId: null, seq: 0 });
    expect(await pending).toEqual([251, 252, 253]);
    await follower.return();
  });

  it('ignores other pages and wakes on a re-read-everything signal', async () => {
    const db = table();
    const signals = new Subject<FeedSignal>();
    const follower = new EventFollower(db.read, '111', 0, null, signals);
    const pending = take(follower, 1);
    await Promise.resolve();
    db.add('222');
    signals.next({ pageId: '222', seq: 1 });
    db.add('111'); // committed while no notification reached this replica
    signals.next({ pageId: null, seq: 0 });
    expect(await pending).toEqual([1]);
    await follower.return();
  });

  it('filters by type and does not rescan what a short read passed over', async () => {
    const db = table();
    const signals = new Subject<FeedSignal>();
    const follower = new EventFollower(db.read, '111', 0, ['NOTE_CREATED'], signals);
    const pending = take(follower, 1);
    for (let i = 0; i < 5; i += 1) signals.next({ pageId: '111', seq: db.add('111').seq });
    signals.next({ pageId: '111', seq: db.add('111', 'NOTE_CREATED').seq });
    expect(await pending).toEqual([6]);
    const readsBefore = db.state.reads;
    const next = take(follower, 1);
    signals.next({ pageId: '111', seq: db.add('111', 'NOTE_CREATED').seq });
    expect(await next).toEqual([7]);
    // One read found the new event; the five filtered ones were not read again.
    expect(db.state.reads - readsBefore).toBeLessThanOrEqual(2);
    await follower.return();
  });

  it('return() ends a waiting next() and calls onClose once', async () => {
    const db = table();
    const signals = new Subject<FeedSignal>();
    const closed: EventFollower[] = [];
    const follower = new EventFollower(db.read, '111', 0, null, signals, (f) => closed.push(f));
    const waiting = follower.next();
    await follower.return();
    await follower.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(closed).toEqual([follower]);
    expect(signals.observed).toBe(false);
  });

  it('closes itself when a read fails, then rethrows', async () => {
    const signals = new Subject<FeedSignal>();
    const closed: EventFollower[] = [];
    const failing = () => Promise.reject(new Error('database down'));
    const follower = new EventFollower(failing, '111', 0, null, signals, (f) => closed.push(f));
    await expect(follower.next()).rejects.toThrow('database down');
    expect(closed).toEqual([follower]);
    expect(signals.observed).toBe(false);
  });

  it('ends when the signal source completes (shutdown)', async () => {
    const db = table();
    const signals = new Subject<FeedSignal>();
    const follower = new EventFollower(db.read, '111', 0, null, signals);
    const waiting = follower.next();
    signals.complete();
    expect((await waiting).done).toBe(true);
  });
});
