import type { Observable, Subscription } from 'rxjs';
import type { CustomerEventType } from '../mirror/customer-events.policy.js';
import type { StoredEvent } from '../mirror/mirror.store.js';
import type { FeedSignal } from './feed-signals.js';

/** What a follower reads: the table, by cursor (EventsStore.read). */
export type ReadEvents = (
  pageId: string,
  afterSeq: number,
  limit: number,
  types: readonly CustomerEventType[] | null,
) => Promise<StoredEvent[]>;

const BATCH = 100;

/**
 * One page's events after a cursor, stored ones first, then live ones as they commit, as an
 * async iterator pulled by its consumer (graphql-ws, the SSE writer): every event is read from
 * the table with "cursor > the last one delivered", so stored and live events meet with no gap
 * and no repeat, and a slow consumer only delays its own reads. Signals only wake it up.
 */
export class EventFollower implements AsyncIterableIterator<StoredEvent> {
  private readonly buffer: StoredEvent[] = [];
  private readonly subscription?: Subscription;
  /** Highest cursor known committed (from signals): every event up to it is in the table. */
  private known = 0;
  private dirty = true;
  private closed = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly read: ReadEvents,
    readonly pageId: string,
    private last: number,
    private readonly types: readonly CustomerEventType[] | null,
    signals: Observable<FeedSignal>,
    private readonly onClose: (follower: EventFollower) => void = () => undefined,
  ) {
    this.subscription = signals.subscribe({
      next: (signal) => {
        if (signal.pageId !== null && signal.pageId !== pageId) return;
        this.known = Math.max(this.known, signal.seq);
        this.dirty = true;
        this.wake?.();
      },
      complete: () => void this.return(),
    });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<StoredEvent>> {
    while (!this.closed) {
      const event = this.buffer.shift();
      if (event) return { value: event, done: false };
      if (!this.dirty) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      this.dirty = false;
      const known = this.known;
      let events: StoredEvent[];
      try {
        events = await this.read(this.pageId, this.last, BATCH, this.types);
      } catch (error) {
        // A consumer's for-await does not call return() after a throw: close here.
        await this.return();
        throw error;
      }
      if (this.closed) break;
      if (events.length === BATCH) this.dirty = true; // more may follow at once
      this.buffer.push(...events);
      const lastRead = events.at(-1)?.seq ?? this.last;
      // A short read saw every event up to `known`: filtered ones need not be scanned again.
      this.last = events.length < BATCH ? Math.max(lastRead, known) : lastRead;
    }
    return { value: undefined, done: true };
  }

  return(): Promise<IteratorResult<StoredEvent>> {
    if (!this.closed) {
      this.closed = true;
      this.buffer.length = 0;
      this.subscription?.unsubscribe();
      this.wake?.();
      this.onClose(this);
    }
    return Promise.resolve({ value: undefined, done: true });
  }
}
