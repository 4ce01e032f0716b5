import { Keyv } from 'keyv';
import type { BudgetedLru } from './memory-budget.js';

/**
 * Keyv's storage adapter over a BudgetedLru: Keyv's Map-like contract (get, set, delete, clear).
 * Keyv keeps `{ value, expires }` here by reference (no serializer) and drops expired entries
 * when read; until then they count against the budget like any other entry.
 */
export class BudgetedKeyvStore {
  /** Set by Keyv; keys are stored as given (no prefix). */
  namespace?: string;

  constructor(private readonly lru: BudgetedLru<object>) {}

  get(key: string): object | undefined {
    return this.lru.get(key);
  }

  set(key: string, value: object): boolean {
    this.lru.set(key, value);
    return true;
  }

  delete(key: string): boolean {
    return this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }
}

/** A Keyv over the LRU that keeps values by reference: cached values are frozen, never copied. */
export function createBudgetedKeyv(lru: BudgetedLru<object>): Keyv {
  const keyv = new Keyv({ store: new BudgetedKeyvStore(lru), useKeyPrefix: false });
  keyv.serialize = undefined;
  keyv.deserialize = undefined;
  return keyv;
}
