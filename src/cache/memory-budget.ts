import { LRUCache } from 'lru-cache';

/**
 * What the process keeps for reuse: read-cache entries (an entry is both the fresh copy and the
 * stale one), serialized responses kept for replay, and the customer index's snapshots.
 */
export type BudgetKind = 'read' | 'replay' | 'index';

export const BUDGET_KINDS: readonly BudgetKind[] = ['read', 'replay', 'index'];

/**
 * Each kind's share of the budget under pressure (parts of 4): read 1/2, replay 1/4, index 1/4.
 * A kind may use what the others leave; an entry larger than its kind's share is not kept.
 */
export const BUDGET_SHARES: Readonly<Record<BudgetKind, number>> = { read: 2, replay: 1, index: 1 };
const SHARE_PARTS = 4;

/** CACHE_MAX_BYTES's default. */
export const DEFAULT_CACHE_MAX_BYTES = 64 * 1024 * 1024;

export interface BudgetedLruOptions<V> {
  /** Second bound, in entries. */
  maxEntries: number;
  /** Bytes one entry keeps, its key included; asked once, when it is stored. */
  sizeOf(value: V, key: string): number;
  /** Entries expire this long after they were stored (default: only evicted). */
  ttlMs?: number;
}

/** What the budget needs of one cache to settle. */
interface BudgetMember {
  readonly kind: BudgetKind;
  readonly bytes: number;
  readonly size: number;
  evictOldest(): boolean;
}

/**
 * One byte-sized LRU whose bytes count against a MemoryBudget. Storing an entry settles the
 * budget at once (no await between), so the accounted total never stays above it.
 */
export class BudgetedLru<V extends object> implements BudgetMember {
  private readonly entries: LRUCache<string, V>;

  constructor(
    readonly kind: BudgetKind,
    private readonly budget: MemoryBudget,
    options: BudgetedLruOptions<V>,
  ) {
    this.entries = new LRUCache<string, V>({
      max: options.maxEntries,
      maxSize: budget.maxBytes,
      maxEntrySize: budget.shareOf(kind),
      sizeCalculation: (value, key) => Math.max(1, Math.ceil(options.sizeOf(value, key))),
      ...(options.ttlMs ? { ttl: options.ttlMs } : {}),
    });
  }

  get(key: string): V | undefined {
    return this.entries.get(key);
  }

  /** Without making the entry recently used. */
  peek(key: string): V | undefined {
    return this.entries.peek(key);
  }

  /** Keeps the entry unless it is larger than its kind's share; then the budget is settled. */
  set(key: string, value: V): void {
    this.entries.set(key, value);
    this.budget.settle();
  }

  delete(key: string): boolean {
    return this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Accounted bytes of the entries held now. */
  get bytes(): number {
    return this.entries.calculatedSize;
  }

  /** Drops the least recently used entry; false when there was none. */
  evictOldest(): boolean {
    return this.entries.pop() !== undefined;
  }
}

/**
 * One byte budget (CACHE_MAX_BYTES) over every in-process cache. Each cache is a BudgetedLru of
 * one kind; when storing an entry takes the total over the budget, the kind furthest above its
 * share (bytes / BUDGET_SHARES) gives up its least recently used entry, until the total fits.
 */
export class MemoryBudget {
  private readonly members: BudgetMember[] = [];

  constructor(readonly maxBytes: number) {
    if (!Number.isInteger(maxBytes) || maxBytes < SHARE_PARTS) {
      throw new RangeError('maxBytes must be an integer of at least 4');
    }
  }

  /** A new LRU of this kind, counted against the budget. */
  lru<V extends object>(kind: BudgetKind, options: BudgetedLruOptions<V>): BudgetedLru<V> {
    const lru = new BudgetedLru<V>(kind, this, options);
    this.members.push(lru);
    return lru;
  }

  /** The most one entry of this kind may take. */
  shareOf(kind: BudgetKind): number {
    return Math.floor((this.maxBytes * BUDGET_SHARES[kind]) / SHARE_PARTS);
  }

  /** Accounted bytes, of one kind or of all. */
  bytes(kind?: BudgetKind): number {
    let total = 0;
    for (const member of this.members) if (!kind || member.kind === kind) total += member.bytes;
    return total;
  }

  /** Evicts until the accounted total fits the budget. */
  settle(): void {
    let total = this.bytes();
    while (total > this.maxBytes) {
      const victim = this.furthestAboveShare();
      if (!victim) return;
      const before = victim.bytes;
      if (!victim.evictOldest()) return;
      total -= before - victim.bytes;
    }
  }

  private furthestAboveShare(): BudgetMember | undefined {
    let victim: BudgetMember | undefined;
    let worst = 0;
    for (const member of this.members) {
      const load = member.bytes / BUDGET_SHARES[member.kind];
      if (member.size > 0 && load > worst) {
        victim = member;
        worst = load;
      }
    }
    return victim;
  }
}
