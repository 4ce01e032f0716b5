import type { Redis } from 'ioredis';
import type { CustomerRecord } from '../../pancake/pancake.model.js';
import type {
  CustomerIndex,
  CustomerIndexOptions,
  IndexedCustomer,
  StoreHealth,
} from './customer-index.js';
import { DEFAULT_INDEX_TTL_SECONDS, MemoryCustomerIndex } from './memory-customer-index.js';
import { DEFAULT_KEY_PREFIX, indexKey } from './redis-keys.js';
import {
  describeError,
  loggingReporter,
  storeUnavailable,
  type StoreErrorReporter,
} from './store-failures.js';
import { fromTaggedJson, toTaggedJson } from './tagged-json.js';
import { indexEntryOf } from './indexed-entry.js';

/**
 * The shared index: one JSON key per customer with a long TTL, and this replica's own copy of
 * every customer it listed or looked up (a MemoryCustomerIndex, within the byte budget).
 * Failure policy: writes (remember, forget) degrade, because the next list refills the index;
 * a lookup Redis cannot answer is answered from the local copy, and fails only when that does
 * not know the id either, because answering "unknown" during an outage would be a false 404.
 */
export class RedisCustomerIndex implements CustomerIndex {
  private readonly prefix: string;
  private readonly ttlSeconds: number;
  private readonly report: StoreErrorReporter;
  private readonly now: () => number;
  /** What this replica saw: the answer while Redis is unreachable. */
  private readonly local: MemoryCustomerIndex;
  private lastError: string | null = null;

  constructor(
    private readonly redis: Redis,
    options: CustomerIndexOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.ttlSeconds = options.ttlSeconds ?? DEFAULT_INDEX_TTL_SECONDS;
    this.report = options.onError ?? loggingReporter('CustomerIndex');
    this.now = options.now ?? Date.now;
    this.local = new MemoryCustomerIndex(options);
  }

  async remember(records: readonly CustomerRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.local.remember(records);
    const seenAt = new Date(this.now());
    // One pipeline: a list page of 100 customers costs one round trip.
    const pipeline = this.redis.pipeline();
    for (const record of records) {
      const entry = indexEntryOf(record, seenAt);
      pipeline.set(
        indexKey(this.prefix, record.pageId, record.id),
        toTaggedJson(entry),
        'EX',
        this.ttlSeconds,
      );
    }
    try {
      const replies = await pipeline.exec();
      const failed = replies?.find(([error]) => error)?.[0];
      if (failed) throw failed;
      this.succeeded();
    } catch (error) {
      this.failed('customer index remember', error);
    }
  }

  async lookup(pageId: string, id: string): Promise<IndexedCustomer | null> {
    let text: string | null;
    try {
      text = await this.redis.get(indexKey(this.prefix, pageId, id));
      this.succeeded();
    } catch (error) {
      this.lastError = describeError(error);
      const seen = await this.local.lookup(pageId, id);
      if (seen) return seen;
      throw storeUnavailable('The customer index is unavailable (Redis); retry shortly', error);
    }
    if (text === null) return null;
    let entry: IndexedCustomer;
    try {
      entry = fromTaggedJson<IndexedCustomer>(text);
    } catch (error) {
      // A corrupt entry is as good as none: the next list rewrites it.
      this.report('customer index decode', error);
      return null;
    }
    if (entry.pageId !== pageId || entry.snapshot?.id !== id) return null;
    // Kept for the next outage: the local copy freezes the snapshot it shares with the caller.
    await this.local.remember([entry.snapshot]);
    return entry;
  }

  async forget(pageId: string, id: string): Promise<void> {
    await this.local.forget(pageId, id);
    try {
      await this.redis.del(indexKey(this.prefix, pageId, id));
      this.succeeded();
    } catch (error) {
      this.failed('customer index forget', error);
    }
  }

  health(): StoreHealth {
    if (this.lastError === null && this.redis.status === 'ready')
      return { backend: 'redis', healthy: true };
    return {
      backend: 'redis',
      healthy: false,
      detail: this.lastError ?? `Redis connection ${this.redis.status}`,
    };
  }

  private succeeded(): void {
    this.lastError = null;
  }

  private failed(operation: string, error: unknown): void {
    this.lastError = describeError(error);
    this.report(operation, error);
  }
}
