import type {
  Acknowledgement,
  InDoubtWrite,
  WriteLedger,
  WriteLedgerOptions,
} from './write-ledger.js';
import { MAX_JOURNAL_ENTRIES } from './write-ledger.js';

type JournalEntry = { doubt: InDoubtWrite; at: number } | { ack: Acknowledgement; at: number };

interface CustomerEntries {
  fence: InDoubtWrite | null;
  journal: JournalEntry[];
}

/** The embedded ledger: per customer a fence and a short journal, in a bounded Map. */
export class MemoryWriteLedger implements WriteLedger {
  private readonly customers = new Map<string, CustomerEntries>();
  private readonly journalMs: number;
  private readonly maxCustomers: number;
  private readonly now: () => number;

  constructor(options: WriteLedgerOptions) {
    this.journalMs = options.journalMs;
    this.maxCustomers = Math.max(1, options.maxCustomers ?? 10_000);
    this.now = options.now ?? Date.now;
  }

  async fence(doubt: InDoubtWrite): Promise<void> {
    const entries = this.entries(doubt.pageId, doubt.customerId, true)!;
    entries.fence = doubt;
    this.append(entries, { doubt, at: doubt.sentAt });
  }

  async fenceOf(pageId: string, customerId: string): Promise<InDoubtWrite | null> {
    const fence = this.entries(pageId, customerId, false)?.fence ?? null;
    return fence && fence.landsBy > this.now() ? fence : null;
  }

  async lift(doubt: InDoubtWrite): Promise<void> {
    const entries = this.entries(doubt.pageId, doubt.customerId, false);
    if (entries?.fence?.id === doubt.id) entries.fence = null;
  }

  async doubts(pageId: string, customerId: string): Promise<InDoubtWrite[]> {
    return this.recent(pageId, customerId).flatMap((e) => ('doubt' in e ? [e.doubt] : []));
  }

  async acknowledge(pageId: string, customerId: string, ack: Acknowledgement): Promise<void> {
    this.append(this.entries(pageId, customerId, true)!, { ack, at: ack.at });
  }

  async acknowledgements(pageId: string, customerId: string): Promise<Acknowledgement[]> {
    return this.recent(pageId, customerId).flatMap((e) => ('ack' in e ? [e.ack] : []));
  }

  private recent(pageId: string, customerId: string): JournalEntry[] {
    const since = this.now() - this.journalMs;
    return (this.entries(pageId, customerId, false)?.journal ?? []).filter((e) => e.at > since);
  }

  private append(entries: CustomerEntries, entry: JournalEntry): void {
    const since = this.now() - this.journalMs;
    entries.journal = [...entries.journal.filter((e) => e.at > since), entry].slice(
      -MAX_JOURNAL_ENTRIES,
    );
  }

  private entries(
    pageId: string,
    customerId: string,
    create: boolean,
  ): CustomerEntries | undefined {
    const key = `${pageId}\u0000${customerId}`;
    let entries = this.customers.get(key);
    if (entries || !create) return entries;
    if (this.customers.size >= this.maxCustomers) this.evict();
    entries = { fence: null, journal: [] };
    this.customers.set(key, entries);
    return entries;
  }

  /** Drops customers with nothing live; if none, the oldest (Map order is insertion order). */
  private evict(): void {
    const now = this.now();
    for (const [key, entries] of this.customers) {
      const fenced = entries.fence !== null && entries.fence.landsBy > now;
      if (!fenced && entries.journal.every((e) => e.at <= now - this.journalMs))
        this.customers.delete(key);
    }
    if (this.customers.size >= this.maxCustomers) {
      const oldest = this.customers.keys().next().value;
      if (oldest !== undefined) this.customers.delete(oldest);
    }
  }
}
