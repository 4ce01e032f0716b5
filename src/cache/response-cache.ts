import { LRUCache } from 'lru-cache';

/** One serialized response and the cached reads it was built from. */
export interface ReplayableResponse {
  /** The response body as sent (bytes: replays skip re-encoding). */
  payload: Buffer;
  contentType: string;
  /** Pages read, with the generation each read was keyed by. */
  deps: { pageId: string; generation: number }[];
  expiresAt: number;
}

/** Whole serialized responses are capped by bytes as well as count. */
const MAX_TOTAL_BYTES = 64 * 1024 * 1024;

/**
 * Serialized cached-read responses per (transport, key name, normalized request): a hit skips
 * routing, validation, resolvers and JSON serialization. Valid while every page it read is
 * still at the same generation (any write bumps it, on every replica) and its reads are fresh.
 */
export class ResponseCache {
  private readonly entries: LRUCache<string, ReplayableResponse>;

  constructor(
    maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new LRUCache<string, ReplayableResponse>({
      max: maxEntries,
      maxSize: MAX_TOTAL_BYTES,
      sizeCalculation: (entry) => Math.max(1, entry.payload.byteLength),
    });
  }

  /** The entry if still fresh and every page is at the generation it was built at. */
  async get(
    key: string,
    generationOf: (pageId: string) => Promise<number | null>,
  ): Promise<ReplayableResponse | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    for (const dep of entry.deps) {
      if ((await generationOf(dep.pageId)) !== dep.generation) {
        this.entries.delete(key);
        return undefined;
      }
    }
    return entry;
  }

  set(key: string, entry: ReplayableResponse): void {
    if (entry.expiresAt > this.now()) this.entries.set(key, entry);
  }

  get size(): number {
    return this.entries.size;
  }
}
