import { setTimeout as sleep } from 'node:timers/promises';
import { ageSeconds, entryAgeMs, type CacheEntry } from './cache-entry.js';
import { DEFAULT_CACHE_KEY_PREFIX, entryKey, readFingerprint } from './cache-keys.js';
import { deepFreeze } from './deep-freeze.js';
import { DEFAULT_CACHE_MAX_BYTES, MemoryBudget } from './memory-budget.js';
import type { CacheHealth, PeerLoads, ReadCacheBackend } from './read-cache-backend.js';
import { allowsStaleFallback } from './stale-fallback.js';

/**
 * hit: fresh copy from the cache. miss: this call loaded it. coalesced: another caller's load
 * (in this process or on another replica) answered it. stale: upstream failed and the last
 * good copy answered. bypass: the shared cache was unavailable; loaded without it.
 */
export type CacheOutcome = 'hit' | 'miss' | 'coalesced' | 'stale' | 'bypass';

/**
 * One read. `value` is deep-frozen and shared with other callers and the cache: treat it as
 * read-only (copy before changing it; mutating a Date with setTime() is not caught).
 */
export interface CachedRead<T> {
  value: T;
  outcome: CacheOutcome;
  stale: boolean;
  /** Age of the copy served: 0 when just loaded. */
  ageSeconds: number;
  /** The page generation the read was keyed by; null when the shared store was bypassed. */
  generation?: number | null;
}

export interface ReadCacheMetrics {
  onOutcome?(outcome: CacheOutcome): void;
}

/** The cache's clock and bounds (ms). */
export interface ReadCacheTiming {
  ttlMs: number;
  staleTtlMs: number;
  now: () => number;
  loadingMarkerMs: number;
}

/** First and longest pause between two looks at an entry another replica is loading. */
const FIRST_POLL_MS = 10;
const MAX_POLL_MS = 200;

/**
 * The read cache: cache-aside with per-page generations, coalescing and stale fallback.
 *
 * - Key: `pgw:read:{pageId}:g{generation}:{sha256(parts)}`. invalidatePage bumps the page's
 *   generation (INCR on Redis, a Map in-process), so every replica stops seeing the old
 *   entries at once; they expire on their own.
 * - Coalescing: identical concurrent reads of one process share one flight (always). On
 *   Redis, the flight first takes a short `SET NX PX` loading marker; a replica that finds
 *   the marker taken polls the cache until the value appears, the marker goes (then it tries
 *   to take it itself), or loadingMarkerMs passes (then it loads itself). It never waits longer.
 * - Stale: one entry per read, kept staleTtl (or ttl, if longer). Younger than ttl it is a
 *   hit; older, it is only used when the load fails with UPSTREAM_ERROR or RATE_LIMITED and
 *   it is at most staleTtlSeconds old. A mutation (new generation) also retires stale copies.
 * - Loader errors are never cached; every caller of the flight gets the rejection.
 */
export class ReadCache {
  private readonly flights = new Map<string, Promise<CachedRead<unknown>>>();
  /** Local invalidation count per page: keys the flights of bypassed reads. */
  private readonly localEpochs = new Map<string, number>();

  constructor(
    private readonly backend: ReadCacheBackend,
    private readonly timing: ReadCacheTiming,
    private readonly keyPrefix: string = DEFAULT_CACHE_KEY_PREFIX,
    private readonly metrics: ReadCacheMetrics = {},
    /** The process's byte budget: this cache's entries in-process, replay bytes, index snapshots. */
    readonly budget: MemoryBudget = new MemoryBudget(DEFAULT_CACHE_MAX_BYTES),
  ) {}

  async read<T>(
    pageId: string,
    parts: Record<string, unknown>,
    load: () => Promise<T>,
  ): Promise<CachedRead<T>> {
    const fingerprint = readFingerprint(parts);
    const generation = await this.backend.generation(pageId);
    const key =
      generation === null
        ? `bypass:${pageId}:${this.localEpochs.get(pageId) ?? 0}:${fingerprint}`
        : entryKey(this.keyPrefix, pageId, generation, fingerprint);
    // From here to flights.set there is no await: concurrent identical reads find one flight.
    const running = this.flights.get(key);
    if (running) {
      const shared = await running;
      return this.report({
        ...shared,
        outcome: joinedOutcome(shared.outcome),
        generation,
      }) as CachedRead<T>;
    }
    const flight = generation === null ? this.bypass(load) : this.readThrough(key, load);
    this.flights.set(key, flight);
    const forget = (): void => {
      if (this.flights.get(key) === flight) this.flights.delete(key);
    };
    flight.then(forget, forget);
    return this.report({ ...(await flight), generation }) as CachedRead<T>;
  }

  /** The page's current generation (null when the shared store is unavailable). */
  currentGeneration(pageId: string): Promise<number | null> {
    return this.backend.generation(pageId);
  }

  async invalidatePage(pageId: string): Promise<void> {
    this.localEpochs.set(pageId, (this.localEpochs.get(pageId) ?? 0) + 1);
    await this.backend.bumpGeneration(pageId);
  }

  health(): CacheHealth {
    return this.backend.health();
  }

  /** Resolves true once the shared store is usable (always true in-process), false after timeoutMs. */
  whenReady(timeoutMs: number): Promise<boolean> {
    return this.backend.whenReady(timeoutMs);
  }

  async close(): Promise<void> {
    await this.backend.close();
  }

  private async readThrough(
    key: string,
    load: () => Promise<unknown>,
  ): Promise<CachedRead<unknown>> {
    let lastCopy = await this.backend.get(key);
    if (lastCopy && this.isFresh(lastCopy)) return this.fromEntry(lastCopy, 'hit');
    let token: string | undefined;
    const peers = this.backend.peers;
    if (peers) {
      const deadline = Date.now() + this.timing.loadingMarkerMs;
      for (;;) {
        const claim = await peers.claim(key);
        if (claim.state === 'claimed') token = claim.token;
        if (claim.state !== 'busy') break;
        const waited = await this.waitForPeer(peers, key, deadline);
        if (waited.entry) {
          if (this.isFresh(waited.entry)) return this.fromEntry(waited.entry, 'coalesced');
          lastCopy = waited.entry;
        }
        if (!waited.markerGone) break; // waited long enough: load ourselves
      }
    }
    try {
      const value = deepFreeze(await load());
      await this.backend.set(key, { value, storedAt: this.timing.now() }, this.storedTtlMs());
      return { value, outcome: 'miss', stale: false, ageSeconds: 0 };
    } catch (error) {
      if (lastCopy && allowsStaleFallback(error) && this.isWithinStaleWindow(lastCopy)) {
        return { ...this.fromEntry(lastCopy, 'stale'), stale: true };
      }
      throw error;
    } finally {
      // Entry written first, then the marker freed: a peer that sees the marker gone finds the entry.
      if (token !== undefined && peers) void peers.release(key, token);
    }
  }

  /** Polls until the peer's value appears, its marker goes, or the deadline passes. */
  private async waitForPeer(
    peers: PeerLoads,
    key: string,
    deadline: number,
  ): Promise<{ entry?: CacheEntry; markerGone: boolean }> {
    let pause = FIRST_POLL_MS;
    let latest: CacheEntry | undefined;
    for (let remaining = deadline - Date.now(); remaining > 0; remaining = deadline - Date.now()) {
      await sleep(Math.min(pause, remaining));
      pause = Math.min(pause * 2, MAX_POLL_MS);
      latest = (await this.backend.get(key)) ?? latest;
      if (latest && this.isFresh(latest)) return { entry: latest, markerGone: false };
      if (!(await peers.isLoading(key))) {
        // The holder writes the entry before freeing the marker: look once more.
        latest = (await this.backend.get(key)) ?? latest;
        return { entry: latest, markerGone: true };
      }
    }
    return { entry: latest, markerGone: false };
  }

  private async bypass(load: () => Promise<unknown>): Promise<CachedRead<unknown>> {
    const value = deepFreeze(await load());
    return { value, outcome: 'bypass', stale: false, ageSeconds: 0 };
  }

  private fromEntry(entry: CacheEntry, outcome: CacheOutcome): CachedRead<unknown> {
    return {
      value: entry.value,
      outcome,
      stale: false,
      ageSeconds: ageSeconds(entry, this.timing.now()),
    };
  }

  private isFresh(entry: CacheEntry): boolean {
    return entryAgeMs(entry, this.timing.now()) < this.timing.ttlMs;
  }

  private isWithinStaleWindow(entry: CacheEntry): boolean {
    return entryAgeMs(entry, this.timing.now()) <= this.timing.staleTtlMs;
  }

  /** How long the store keeps an entry: long enough to serve as the stale copy. */
  private storedTtlMs(): number {
    return Math.max(this.timing.ttlMs, this.timing.staleTtlMs);
  }

  private report(read: CachedRead<unknown>): CachedRead<unknown> {
    try {
      this.metrics.onOutcome?.(read.outcome);
    } catch {
      // A metrics hook must never fail a read.
    }
    return read;
  }
}

/** What a caller that joined a running flight got: a load it did not make is "coalesced". */
function joinedOutcome(outcome: CacheOutcome): CacheOutcome {
  return outcome === 'miss' || outcome === 'bypass' ? 'coalesced' : outcome;
}
