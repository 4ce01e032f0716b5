// Every request to the Pancake routes, in arrival order, for tests to assert on.
import type { RequestLogEntry } from './types.js';

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  constructor(private readonly limit: number) {}

  /** Records an arrival (status 0 until answered) and returns the live entry to complete. */
  begin(entry: Omit<RequestLogEntry, 'status' | 'counted'>): RequestLogEntry {
    const live: RequestLogEntry = { ...entry, status: 0, counted: false };
    this.entries.push(live);
    // Drop in chunks so a long benchmark run does not pay a shift per request.
    if (this.entries.length > this.limit + 1000) this.entries = this.entries.slice(-this.limit);
    return live;
  }

  list(pageId?: string): RequestLogEntry[] {
    const kept = this.entries.length > this.limit ? this.entries.slice(-this.limit) : this.entries;
    return kept.filter((e) => pageId === undefined || e.pageId === pageId).map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
