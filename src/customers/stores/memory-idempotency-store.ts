import { assertIdempotencyKey } from './idempotency-key.js';
import type {
  IdempotencyBegin,
  IdempotencyStore,
  IdempotencyStoreOptions,
} from './idempotency-store.js';
import {
  DEFAULT_IDEMPOTENCY_MAX_ENTRIES,
  idempotencyTtls,
  type IdempotencyTtls,
} from './idempotency-ttl.js';
import { fromTaggedJson, toTaggedJson } from '../../infra/redis/tagged-json.js';

type Entry = { fingerprint: string; expiresAt: number } & (
  { done: false } | { done: true; resultJson: string }
);

/**
 * The embedded store: a Map in insertion order with per-entry expiry. When full, expired
 * entries go first, then the oldest. Results are kept as tagged JSON, like on Redis: a copy
 * the caller cannot mutate, with Dates restored on replay.
 */
export class MemoryIdempotencyStore<T> implements IdempotencyStore<T> {
  private readonly entries = new Map<string, Entry>();
  private readonly ttls: IdempotencyTtls;
  private readonly maxEntries: number;
  private readonly now: () => number;

  constructor(options: IdempotencyStoreOptions = {}) {
    this.ttls = idempotencyTtls(options);
    this.maxEntries = Math.max(1, options.maxEntries ?? DEFAULT_IDEMPOTENCY_MAX_ENTRIES);
    this.now = options.now ?? Date.now;
  }

  async begin(scope: string, key: string, fingerprint: string): Promise<IdempotencyBegin<T>> {
    assertIdempotencyKey(key);
    const id = entryId(scope, key);
    const entry = this.live(id);
    if (!entry) {
      this.put(id, {
        fingerprint,
        done: false,
        expiresAt: this.now() + this.ttls.pendingSeconds * 1000,
      });
      return { state: 'started' };
    }
    if (entry.fingerprint !== fingerprint) return { state: 'mismatch' };
    return entry.done
      ? { state: 'replay', result: fromTaggedJson<T>(entry.resultJson) }
      : { state: 'in-progress' };
  }

  async complete(scope: string, key: string, fingerprint: string, result: T): Promise<void> {
    assertIdempotencyKey(key);
    const id = entryId(scope, key);
    const entry = this.live(id);
    if (entry && entry.fingerprint !== fingerprint) return;
    this.put(id, {
      fingerprint,
      done: true,
      resultJson: toTaggedJson(result) ?? 'null',
      expiresAt: this.now() + this.ttls.replaySeconds * 1000,
    });
  }

  async abandon(scope: string, key: string, fingerprint: string): Promise<void> {
    assertIdempotencyKey(key);
    const id = entryId(scope, key);
    const entry = this.live(id);
    if (entry && !entry.done && entry.fingerprint === fingerprint) this.entries.delete(id);
  }

  /** Keys held now, expired ones included until swept (tests, metrics). */
  get size(): number {
    return this.entries.size;
  }

  private live(id: string): Entry | undefined {
    const entry = this.entries.get(id);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }

  private put(id: string, entry: Entry): void {
    this.entries.delete(id); // re-insert at the end: insertion order is age order
    if (this.entries.size >= this.maxEntries) this.evict();
    this.entries.set(id, entry);
  }

  private evict(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(id);
    for (const id of this.entries.keys()) {
      if (this.entries.size < this.maxEntries) break;
      this.entries.delete(id);
    }
  }
}

function entryId(scope: string, key: string): string {
  return `${scope}\u0000${key}`;
}
