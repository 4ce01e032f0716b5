import { encodeBody, type Encoding } from '../common/http/compression.js';
import type { BudgetedLru, MemoryBudget } from './memory-budget.js';

/** One serialized response and the cached reads it was built from. */
export interface ReplayableResponse {
  /** The response body as sent (bytes: replays skip re-encoding). */
  payload: Buffer;
  contentType: string;
  /** Weak ETag of the payload, made once when stored. */
  etag: string;
  /** The payload compressed, per coding, each made on first demand (see variantOf). */
  variants: ReadonlyMap<Encoding, Buffer>;
  /** Pages read, with the generation each read was keyed by. */
  deps: ReplayDependency[];
  expiresAt: number;
}

/** A page read behind a response, at the generation (or mirror version) it was read at. */
export interface ReplayDependency {
  pageId: string;
  generation: number;
  store?: 'mirror';
}

/** The entry, its Buffer object, content type and deps array around the payload bytes. */
const ENTRY_OVERHEAD_BYTES = 256;
const DEP_BYTES = 48;

/**
 * Serialized cached-read responses per (transport, key name, normalized request): a hit skips
 * routing, validation, resolvers and JSON serialization. Valid while every page it read is
 * still at the same generation (any write bumps it, on every replica) and its reads are fresh.
 */
export class ResponseCache {
  private readonly entries: BudgetedLru<ReplayableResponse>;

  /** Bounded by maxEntries and by the budget's "replay" kind (payload bytes and overhead). */
  constructor(
    maxEntries: number,
    budget: MemoryBudget,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = budget.lru<ReplayableResponse>('replay', {
      maxEntries,
      sizeOf: (entry, key) =>
        ENTRY_OVERHEAD_BYTES +
        key.length +
        entry.payload.byteLength +
        variantBytesOf(entry) +
        entry.deps.length * DEP_BYTES,
    });
  }

  /** The entry if still fresh and every page is at the generation it was built at. */
  async get(
    key: string,
    generationOf: (pageId: string, store?: 'mirror') => Promise<number | null>,
  ): Promise<ReplayableResponse | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    for (const dep of entry.deps) {
      if ((await generationOf(dep.pageId, dep.store)) !== dep.generation) {
        this.entries.delete(key);
        return undefined;
      }
    }
    return entry;
  }

  set(key: string, entry: ReplayableResponse): void {
    if (entry.expiresAt > this.now()) this.entries.set(key, entry);
  }

  /**
   * The entry's payload in a coding, compressed once per entry: the first request asking for it
   * pays, later replays send the same bytes. The entry is stored again as a copy holding the
   * variant, so its size is counted anew (lru-cache does not recount an object set twice) and
   * the budget may drop it, or refuse it when it no longer fits its share.
   */
  variantOf(key: string, entry: ReplayableResponse, encoding: Encoding): Buffer {
    const known = entry.variants.get(encoding);
    if (known) return known;
    const encoded = encodeBody(entry.payload, encoding);
    // Only the copy in the cache is replaced: an entry evicted or replaced meanwhile stays out.
    if (this.entries.peek(key) === entry) {
      const variants = new Map(entry.variants).set(encoding, encoded);
      this.set(key, { ...entry, variants });
    }
    return encoded;
  }

  get size(): number {
    return this.entries.size;
  }
}

function variantBytesOf(entry: ReplayableResponse): number {
  let bytes = 0;
  for (const variant of entry.variants.values()) bytes += variant.byteLength;
  return bytes;
}
