import { createCache, type Cache } from 'cache-manager';
import { createKeyv as createMemoryKeyv } from 'cacheable';
import { isCacheEntry, type CacheEntry } from './cache-entry.js';
import type { CacheHealth, ReadCacheBackend } from './read-cache-backend.js';

/**
 * The embedded store: cache-manager over Keyv over CacheableMemory, an LRU bounded to
 * maxEntries. Values are kept by reference (no clone, no JSON): ReadCache deep-freezes them
 * before they get here. Generations are a Map, so an invalidation is one increment.
 */
export class InProcessBackend implements ReadCacheBackend {
  readonly kind = 'in-process' as const;
  private readonly cache: Cache;
  private readonly generations = new Map<string, number>();

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError('maxEntries must be a positive integer');
    }
    // useClone false: the frozen value is returned as is; createKeyv drops Keyv's serializer.
    this.cache = createCache({
      stores: [createMemoryKeyv({ lruSize: maxEntries, useClone: false })],
    });
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
