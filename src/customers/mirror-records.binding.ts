import { Injectable, type OnModuleInit } from '@nestjs/common';
import { deepFreeze } from '../cache/deep-freeze.js';
import { MemoryBudget, type BudgetedLru } from '../cache/memory-budget.js';
import { estimateRetainedBytes } from '../cache/retained-size.js';
import type { MirroredRecords } from '../mirror/mirrored-records.js';
import { MirrorService } from '../mirror/mirror.service.js';
import type { CustomerRecord } from '../pancake/pancake.model.js';
import { DEFAULT_INDEX_MAX_ENTRIES } from './stores/customer-index.js';

interface KeptRecord {
  changedVersion: number;
  record: CustomerRecord;
  bytes: number;
}

/** The key, the entry object and the LRU's own node around a record. */
const ENTRY_OVERHEAD_BYTES = 200;

/**
 * Keeps the records mirrored lists read, within the process's memory budget (kind "index":
 * like the customer index, customer snapshots), so a list of customers that have not changed
 * reads only their ids and versions from the database. Records are frozen and shared.
 */
@Injectable()
export class MirrorRecordsBinding implements OnModuleInit, MirroredRecords {
  private readonly kept: BudgetedLru<KeptRecord>;

  constructor(
    private readonly mirror: MirrorService,
    budget: MemoryBudget,
  ) {
    this.kept = budget.lru<KeptRecord>('index', {
      maxEntries: DEFAULT_INDEX_MAX_ENTRIES,
      sizeOf: (entry) => entry.bytes,
    });
  }

  onModuleInit(): void {
    this.mirror.reuseRecordsFrom(this);
  }

  get(pageId: string, id: string, changedVersion: number): CustomerRecord | undefined {
    const entry = this.kept.get(`${pageId}|${id}`);
    return entry?.changedVersion === changedVersion ? entry.record : undefined;
  }

  set(pageId: string, id: string, changedVersion: number, record: CustomerRecord): void {
    // Twice the record: its frozen view (shallow, sharing the record's values) and that view's
    // JSON live as long as it does (CustomersService, CustomerJsonCache): about its size again.
    const bytes = ENTRY_OVERHEAD_BYTES + 2 * estimateRetainedBytes(record);
    this.kept.set(`${pageId}|${id}`, { changedVersion, record: deepFreeze(record), bytes });
  }
}
