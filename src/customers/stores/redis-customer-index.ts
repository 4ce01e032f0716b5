import type { RedisAvailability } from '../../infra/redis/redis-availability.js';
import { DEFAULT_KEY_PREFIX } from '../../infra/redis/redis-keys.js';
import { fromTaggedJson, toTaggedJson } from '../../infra/redis/tagged-json.js';
import type { CustomerRecord } from '../../pancake/pancake.model.js';
import {
  DEFAULT_INDEX_TTL_SECONDS,
  type CustomerIndex,
  type CustomerIndexOptions,
  type IndexedCustomer,
  type StoreHealth,
} from './customer-index.js';
import { indexEntryOf } from './indexed-entry.js';
import { MemoryCustomerIndex } from './memory-customer-index.js';
import { indexKey } from './redis-keys.js';
import { loggingReporter, storeUnavailable, type StoreErrorReporter } from './store-failures.js';

/**
 * The shared index: one JSON key per customer with a long TTL, and this replica's own copy of
 * every customer it listed or looked up (a MemoryCustomerIndex, within the byte budget).
 * Policy while Redis is unavailable (RedisAvailability): writes (remember, forget) are reported
 * and skipped, because the next list refills the index; a lookup is answered from the local
 * copy, and fails only when that does not know the id either, because answering "unknown"
 * during an outage would be a false 404.
 */
export class RedisCustomerIndex implements CustomerIndex {
  private readonly prefix: string;
  private readonly ttlSeconds: number;
  private readonly report: StoreErrorReporter;
  private readonly now: () => number;
  /** What this replica saw: the answer while Redis is unreachable. */
  private readonly local: MemoryCustomerIndex;

  constructor(
    private readonly redis: RedisAvailability,
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
    try {
      await this.redis.call(async (client) => {
        // One pipeline: a list page of 100 customers costs one round trip.
        const pipeline = client.pipeline();
        for (const record of records) {
          const entry = indexEntryOf(record, seenAt);
          pipeline.set(
            indexKey(this.prefix, record.pageId, record.id),
            toTaggedJson(entry),
            'EX',
            this.ttlSeconds,
          );
        }
        const replies = await pipeline.exec();
        const failed = replies?.find(([error]) => error)?.[0];
        if (failed) throw failed;
      });
    } catch (error) {
      this.report('customer index remember', error);
    }
  }

  async lookup(pageId: string, id: string): Promise<IndexedCustomer | null> {
    let text: string | null;
    try {
      text = await this.redis.call((client) => client.get(indexKey(this.prefix, pageId, id)));
    } catch (error) {
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
      await this.redis.call((client) => client.del(indexKey(this.prefix, pageId, id)));
    } catch (error) {
      this.report('customer index forget', error);
    }
  }

  health(): StoreHealth {
    const redis = this.redis.health();
    return redis.healthy
      ? { backend: 'redis', healthy: true }
      : { backend: 'redis', healthy: false, detail: redis.reason };
  }
}
