import type { CacheEntry } from './cache-entry.js';

export interface CacheHealth {
  backend: 'redis' | 'in-process';
  healthy: boolean;
  /** A short, safe description (never a URL, host or credential). */
  detail?: string;
}

/** Outcome of trying to become the one replica that loads an entry. */
export type LoadClaim =
  { state: 'claimed'; token: string } | { state: 'busy' } | { state: 'unavailable' };

/** Cross-replica coalescing: a short "loading" marker per entry (Redis only). */
export interface PeerLoads {
  claim(entryKey: string): Promise<LoadClaim>;
  release(entryKey: string, token: string): Promise<void>;
  /** Whether another replica still holds the marker; false when unknown (then we load ourselves). */
  isLoading(entryKey: string): Promise<boolean>;
}

/**
 * Where entries and page generations live. Every method answers within a bounded time and
 * never rejects: a store failure reads as a miss, a skipped write, or `generation: null`.
 */
export interface ReadCacheBackend {
  readonly kind: 'redis' | 'in-process';
  /** Shared across replicas when present. */
  readonly peers?: PeerLoads;
  /** The page's current generation, or null when the store cannot be used now (bypass). */
  generation(pageId: string): Promise<number | null>;
  /** Invalidates every cached read of the page (now, or as soon as the store answers again). */
  bumpGeneration(pageId: string): Promise<void>;
  get(key: string): Promise<CacheEntry | undefined>;
  set(key: string, entry: CacheEntry, ttlMs: number): Promise<void>;
  health(): CacheHealth;
  /** Resolves true once the store is usable, false after timeoutMs. */
  whenReady(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}
