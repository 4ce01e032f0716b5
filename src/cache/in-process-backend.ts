import { createCache, type Cache } from 'cache-manager';
import { createBudgetedKeyv } from './budgeted-keyv-store.js';
import { isCacheEntry, type CacheEntry } from './cache-entry.js';
import type { MemoryBudget } from './memory-budget.js';
import type { CacheHealth, ReadCacheBackend } from './read-cache-backend.js';
import { estimateRetainedBytes } from './retained-size.js';

/** Keyv's `{ value, expires }` wrapper and the entry object around the cached value. */
const ENTRY_OVERHEAD_BYTES = 128;

/**
 * The embedded store: cache-manager over Keyv over a byte-bounded LRU (the budget's "read"
 * kind, also bounded to maxEntries). Values are kept by reference (no clone, no JSON): ReadCache
 * deep-freezes them before they get here. An entry is sized once, when stored, by
 * estimateRetainedBytes; it stays the same entry (and the same bytes) once only stale.
 * Generations are a Map, so an invalidation is one increment.
 */
export class InProcessBackend implements ReadCacheBackend {
  readonly kind = 'in-process' as const;
  private readonly cache: Cache;
  private readonly generations = new Map<string, number>();

  constructor(maxEntries: number, budget: MemoryBudget) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError('maxEntries must be a positive integer');
    }
    const entries = budget.lru<object>('read', {
      maxEntries,
      sizeOf: (stored, key) =>
        ENTRY_OVERHEAD_BYTES + key.length + estimateRetainedBytes(valueOf(stored)),
    });
    this.cache = createCache({ stores: [createBudgetedKeyv(entries)] });
  }

  async generation(pageId: string): Promise<number> {
    return this.generations.get(pageId) ?? 0;
  }

  async bumpGeneration(pageId: string): Promise<void> {
    this.generations.set(pageId, (this.generations.get(pageId) ?? 0) + 1);
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    const found: unknown = await this.cache.get(key);
    return isCacheEntry(found) ? found : undefined;
  }

  async set(key: string, entry: CacheEntry, ttlMs: number): Promise<void> {
    await this.cache.set(key, entry, ttlMs);
  }

  health(): CacheHealth {
    return { backend: 'in-process', healthy: true };
  }

  async whenReady(): Promise<boolean> {
    return true;
  }

  async close(): Promise<void> {
    await this.cache.clear();
  }
}

/** The cached value inside Keyv's wrapper and the CacheEntry (timestamps are slots). */
function valueOf(stored: object): unknown {
  const wrapped = (stored as { value?: unknown }).value;
  return isCacheEntry(wrapped) ? wrapped.value : wrapped;
}
