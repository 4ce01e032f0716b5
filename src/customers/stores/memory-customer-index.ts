import { LRUCache } from 'lru-cache';
import type { CustomerRecord } from '../../pancake/pancake.model.js';
import type {
  CustomerIndex,
  CustomerIndexOptions,
  IndexedCustomer,
  StoreHealth,
} from './customer-index.js';
import { deepFreeze } from '../../cache/deep-freeze.js';
import { indexEntryOf } from './indexed-entry.js';

/** The page it belongs to, and the frozen entry. */
interface StoredEntry {
  pageId: string;
  entry: IndexedCustomer;
}

export const DEFAULT_INDEX_MAX_ENTRIES = 200_000;
export const DEFAULT_INDEX_TTL_SECONDS = 30 * 86_400;

/**
 * The embedded index: a bounded LRU keyed by customer id (ids are UUIDs, unique across pages).
 * Records are deep-frozen and shared, not copied: the list that brought them caches the same
 * frozen objects, so a cold read of 100 customers keeps one copy of them instead of three.
 */
export class MemoryCustomerIndex implements CustomerIndex {
  private readonly entries: LRUCache<string, StoredEntry>;
  private readonly now: () => number;

  constructor(options: CustomerIndexOptions = {}) {
    this.now = options.now ?? Date.now;
    this.entries = new LRUCache({
      max: options.maxEntries ?? DEFAULT_INDEX_MAX_ENTRIES,
      ttl: (options.ttlSeconds ?? DEFAULT_INDEX_TTL_SECONDS) * 1000,
    });
  }

  async remember(records: readonly CustomerRecord[]): Promise<void> {
    const seenAt = new Date(this.now());
    for (const record of records) {
      const entry = deepFreeze(indexEntryOf(record, seenAt));
      this.entries.set(record.id, { pageId: record.pageId, entry });
    }
  }

  async lookup(pageId: string, id: string): Promise<IndexedCustomer | null> {
    const entry = this.entries.get(id);
    return entry && entry.pageId === pageId ? entry.entry : null;
  }

  async forget(pageId: string, id: string): Promise<void> {
    if (this.entries.peek(id)?.pageId === pageId) this.entries.delete(id);
  }

  health(): StoreHealth {
    return { backend: 'in-process', healthy: true, detail: `${this.entries.size} customers` };
  }

  /** Entries held now (metrics, tests). */
  get size(): number {
    return this.entries.size;
  }
}
