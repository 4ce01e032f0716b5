import type { CustomerRecord } from '../../pancake/pancake.model.js';
import {
  DEFAULT_INDEX_MAX_ENTRIES,
  DEFAULT_INDEX_TTL_SECONDS,
  type CustomerIndex,
  type CustomerIndexOptions,
  type IndexedCustomer,
  type StoreHealth,
} from './customer-index.js';
import { deepFreeze } from '../../cache/deep-freeze.js';
import {
  DEFAULT_CACHE_MAX_BYTES,
  MemoryBudget,
  type BudgetedLru,
} from '../../cache/memory-budget.js';
import { estimateRetainedBytes } from '../../cache/retained-size.js';
import { indexEntryOf } from './indexed-entry.js';

/** The page it belongs to, the frozen entry, and the bytes it is accounted for. */
interface StoredEntry {
  pageId: string;
  entry: IndexedCustomer;
  bytes: number;
}

/** The stored and index entry objects and the seenAt Date around a snapshot. */
const ENTRY_OVERHEAD_BYTES = 240;

/**
 * The embedded index: an LRU keyed by customer id (ids are UUIDs, unique across pages), bounded
 * by maxEntries and by the byte budget's "index" kind. Records are deep-frozen and shared, not
 * copied: the list that brought them caches the same frozen objects, so a cold read of 100
 * customers keeps one copy of them instead of three (the budget counts them in both places).
 */
export class MemoryCustomerIndex implements CustomerIndex {
  private readonly entries: BudgetedLru<StoredEntry>;
  private readonly now: () => number;

  constructor(options: CustomerIndexOptions = {}) {
    this.now = options.now ?? Date.now;
    const budget = options.budget ?? new MemoryBudget(DEFAULT_CACHE_MAX_BYTES);
    this.entries = budget.lru<StoredEntry>('index', {
      maxEntries: options.maxEntries ?? DEFAULT_INDEX_MAX_ENTRIES,
      ttlMs: (options.ttlSeconds ?? DEFAULT_INDEX_TTL_SECONDS) * 1000,
      sizeOf: (stored) => stored.bytes,
    });
  }

  async remember(records: readonly CustomerRecord[]): Promise<void> {
    if (records.length === 0) return;
    const seenAt = new Date(this.now());
    // One estimate for the batch (a list page is sized from a sample of its records).
    const bytes = ENTRY_OVERHEAD_BYTES + estimateRetainedBytes(records) / records.length;
    for (const record of records) {
      const entry = deepFreeze(indexEntryOf(record, seenAt));
      this.entries.set(record.id, { pageId: record.pageId, entry, bytes });
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

  /** Bytes the entries are accounted for. */
  get bytes(): number {
    return this.entries.bytes;
  }
}
