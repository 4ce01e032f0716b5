// The simulator's data: per page customers, kept sorted per order_by for O(log n) windows.
import type { RawCustomer, RawCustomerChanges, RawNote, RawOrderBy } from './raw-shapes.js';
import { Rng, deriveSeed } from './prng.js';
import { type SimRecord, apiAuthorOf, generateCustomers, staffOf } from './seed-data.js';
import { formatNaiveUtc, storedMs } from './sim-time.js';

export interface StoreOptions {
  seed: number;
  /** Page ids with their customer counts; the first page is generated first and others link to it. */
  pages: readonly { pageId: string; customers: number }[];
  now: () => number;
}

export interface ListQuery {
  orderBy: RawOrderBy;
  /** Unix seconds, inclusive. */
  since: number;
  /** Unix seconds, inclusive. */
  until: number;
  offset: number;
  limit: number;
}

export type NoteOutcome = 'ok' | 'no-customer' | 'no-note';

interface PageData {
  records: SimRecord[];
  byId: Map<string, SimRecord>;
  /** Lazily built, newest first then id ascending; kept in order on updates. */
  sorted: Map<RawOrderBy, SimRecord[]>;
}

export class SimStore {
  private readonly pages = new Map<string, PageData>();
  private readonly noteIds: Rng;
  private readonly now: () => number;
  private readonly seed: number;

  constructor(options: StoreOptions) {
    this.now = options.now;
    this.seed = options.seed;
    this.noteIds = new Rng(deriveSeed(options.seed, 'runtime-note-ids'));
    let first: SimRecord[] = [];
    options.pages.forEach(({ pageId, customers }, index) => {
      const records = generateCustomers(options.seed, pageId, customers, first);
      if (index === 0) first = records;
      this.pages.set(pageId, {
        records,
        byId: new Map(records.map((r) => [r.raw.id, r])),
        sorted: new Map(),
      });
    });
  }

  pageIds(): string[] {
    return [...this.pages.keys()];
  }

  hasPage(pageId: string): boolean {
    return this.pages.has(pageId);
  }

  count(pageId: string): number {
    return this.pages.get(pageId)?.records.length ?? 0;
  }

  /** Deep copies, in generation order; [] for an unknown page. */
  listCustomers(pageId: string): RawCustomer[] {
    return (this.pages.get(pageId)?.records ?? []).map((r) => cloneCustomer(r.raw));
  }

  hasCustomer(pageId: string, id: string): boolean {
    return this.pages.get(pageId)?.byId.has(id) ?? false;
  }

  /** Whether the customer has a live (not removed) note with that id. */
  hasNote(pageId: string, id: string, noteId: string): boolean {
    const record = this.pages.get(pageId)?.byId.get(id);
    return record ? liveNote(record, noteId) !== undefined : false;
  }

  /** A deep copy, or undefined when the page or customer is unknown. */
  getCustomer(pageId: string, id: string): RawCustomer | undefined {
    const record = this.pages.get(pageId)?.byId.get(id);
    return record && cloneCustomer(record.raw);
  }

  /** A deep copy of the customer with that psid (the join key with conversations). */
  findByPsid(pageId: string, psid: string): RawCustomer | undefined {
    const record = this.pages.get(pageId)?.records.find((r) => r.raw.psid === psid);
    return record && cloneCustomer(record.raw);
  }

  /** Live notes; with includeRemoved, removed ones too (removed_at set), as listed. Throws when unknown. */
  notesOf(pageId: string, id: string, options: { includeRemoved?: boolean } = {}): RawNote[] {
    const record = this.require(pageId, id);
    const notes = options.includeRemoved
      ? record.raw.notes
      : record.raw.notes.filter((n) => n.removed_at === null);
    return notes.map(cloneNote);
  }

  /** A dashboard edit: replaces the phone list as typed, bumps updated_at. Throws when unknown. */
  setPhoneNumbers(pageId: string, id: string, phones: string[]): RawCustomer {
    const record = this.require(pageId, id);
    record.raw.phone_numbers = [...phones];
    this.touch(pageId, record);
    return cloneCustomer(record.raw);
  }

  /** A note written in the dashboard by staff (returns it with its id). Throws when unknown. */
  addNote(pageId: string, id: string, message: string): RawNote {
    const record = this.require(pageId, id);
    const note = this.appendNote(pageId, record, message, staffOf(this.seed, pageId)[0]!);
    return cloneNote(note);
  }

  /** The list window: since <= field (seconds) <= until, newest first, then id ascending. */
  query(pageId: string, q: ListQuery): { total: number; customers: RawCustomer[] } {
    const sorted = this.sortedBy(pageId, q.orderBy);
    const field = q.orderBy === 'inserted_at' ? 'insertedMs' : 'updatedMs';
    const start = firstIndex(sorted, (r) => r[field] < (q.until + 1) * 1000);
    const end = firstIndex(sorted, (r) => r[field] < q.since * 1000);
    const total = Math.max(0, end - start);
    const from = Math.min(end, start + q.offset);
    const to = Math.min(end, from + q.limit);
    // References, not copies: the caller serializes them at once.
    return { total, customers: sorted.slice(from, to).map((r) => r.raw) };
  }

  /** PUT changes (already validated); false when the customer is unknown. */
  update(pageId: string, id: string, changes: RawCustomerChanges): boolean {
    const record = this.pages.get(pageId)?.byId.get(id);
    if (!record) return false;
    const raw = record.raw;
    if (changes.name !== undefined) raw.name = changes.name;
    if (changes.phone_numbers !== undefined) raw.phone_numbers = [...changes.phone_numbers];
    if (changes.gender !== undefined) raw.gender = changes.gender;
    if (changes.birthday !== undefined) raw.birthday = changes.birthday;
    this.touch(pageId, record);
    return true;
  }

  /** POST notes: a new note authored by the Public API; false when the customer is unknown. */
  createNote(pageId: string, id: string, message: string): boolean {
    const record = this.pages.get(pageId)?.byId.get(id);
    if (!record) return false;
    this.appendNote(pageId, record, message, apiAuthorOf(this.seed, pageId));
    return true;
  }

  editNote(pageId: string, id: string, noteId: string, message: string): NoteOutcome {
    const record = this.pages.get(pageId)?.byId.get(id);
    if (!record) return 'no-customer';
    const note = liveNote(record, noteId);
    if (!note) return 'no-note';
    const at = this.now();
    note.edit_history.push({
      message: note.message,
      updated_at: note.updated_at ?? note.created_at,
    });
    note.message = message;
    note.updated_at = at;
    this.touch(pageId, record);
    return 'ok';
  }

  deleteNote(pageId: string, id: string, noteId: string): NoteOutcome {
    const record = this.pages.get(pageId)?.byId.get(id);
    if (!record) return 'no-customer';
    const note = liveNote(record, noteId);
    if (!note) return 'no-note';
    // Soft removal, as upstream: the note stays in list results, with removed_at set.
    note.removed_at = this.now();
    this.touch(pageId, record);
    return 'ok';
  }

  private appendNote(
    pageId: string,
    record: SimRecord,
    message: string,
    author: RawNote['created_by'],
  ): RawNote {
    const taken = new Set(record.raw.notes.map((n) => n.id));
    let noteId = this.noteIds.hex(24);
    while (taken.has(noteId)) noteId = this.noteIds.hex(24);
    const note: RawNote = {
      id: noteId,
      message,
      created_at: this.now(),
      updated_at: null,
      removed_at: null,
      created_by: { ...author },
      edit_history: [],
      images: [],
      links: [],
      order_id: null,
    };
    record.raw.notes.push(note);
    this.touch(pageId, record);
    return note;
  }

  private require(pageId: string, id: string): SimRecord {
    const record = this.pages.get(pageId)?.byId.get(id);
    if (!record) throw new Error(`No customer ${id} on page ${pageId}`);
    return record;
  }

  /** Bumps updated_at to now and moves the record to its new place in the updated_at order. */
  private touch(pageId: string, record: SimRecord): void {
    const sorted = this.pages.get(pageId)!.sorted.get('updated_at');
    if (sorted) sorted.splice(sorted.indexOf(record), 1);
    record.updatedMs = storedMs(this.now(), record.fractional);
    record.raw.updated_at = formatNaiveUtc(record.updatedMs, record.fractional);
    if (sorted)
      sorted.splice(
        firstIndex(sorted, (r) => compare(r, record, 'updatedMs') > 0),
        0,
        record,
      );
  }

  private sortedBy(pageId: string, orderBy: RawOrderBy): SimRecord[] {
    const page = this.pages.get(pageId);
    if (!page) return [];
    let sorted = page.sorted.get(orderBy);
    if (!sorted) {
      const field = orderBy === 'inserted_at' ? 'insertedMs' : 'updatedMs';
      sorted = [...page.records].sort((a, b) => compare(a, b, field));
      page.sorted.set(orderBy, sorted);
    }
    return sorted;
  }
}

/** A note that can still be edited or removed; a removed one answers like an unknown id. */
function liveNote(record: SimRecord, noteId: string): RawNote | undefined {
  return record.raw.notes.find((n) => n.id === noteId && n.removed_at === null);
}

// Hand-written deep copies: structuredClone takes seconds over 100,000 customers.
function cloneCustomer(raw: RawCustomer): RawCustomer {
  return {
    ...raw,
    phone_numbers: [...raw.phone_numbers],
    emails: raw.emails && [...raw.emails],
    notes: raw.notes.map(cloneNote),
  };
}

function cloneNote(note: RawNote): RawNote {
  return {
    ...note,
    created_by: { ...note.created_by },
    edit_history: note.edit_history.map((edit) => ({ ...edit })),
    images: [...note.images],
    links: [...note.links],
  };
}

/** Newest first, then id ascending so equal timestamps keep a stable order across pages. */
function compare(a: SimRecord, b: SimRecord, field: 'insertedMs' | 'updatedMs'): number {
  return b[field] - a[field] || (a.raw.id < b.raw.id ? -1 : a.raw.id > b.raw.id ? 1 : 0);
}

/** The first index where `past` holds, for a predicate that is false then true along the array. */
function firstIndex<T>(items: readonly T[], past: (item: T) => boolean): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (past(items[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
