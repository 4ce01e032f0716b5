// The simulator's data: per page customers, kept sorted per order_by for O(log n) windows.
import type { RawCustomer, RawCustomerChanges, RawNote, RawOrderBy } from './raw-shapes.js';
import { Rng, deriveSeed } from './prng.js';
import { type SimRecord, apiAuthorOf, generateCustomers, staffOf } from './seed-data.js';
import { formatNaiveUtc, storedMs } from './sim-time.js';
import type { ChangeRequest, InsertRequest, NewCustomer } from './control-bodies.js';
import { buildInserted, copyFields } from './runtime-customers.js';

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
  /** Late changes not yet visible in lists, by record. */
  late: Map<SimRecord, LateChange>;
  /** Runtime inserts: their own PRNG stream, so they are deterministic given the seed. */
  rng: Rng;
  /** Lazily built on the first insert (psids never change); kept up to date after that. */
  psids?: Set<string>;
}

/** A change already made (updated_at set) that lists show only from visibleAtMs on. */
export interface LateChange {
  raw: RawCustomer;
  updatedMs: number;
  visibleAtMs: number;
}

// Above this many inserts at once, re-sorting lazily beats splicing each one into place.
const SPLICE_LIMIT = 64;

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
        late: new Map(),
        rng: new Rng(deriveSeed(options.seed, `runtime-customers:${pageId}`)),
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
    this.settleDue(pageId);
    return (this.pages.get(pageId)?.records ?? []).map((r) => cloneCustomer(r.raw));
  }

  hasPsid(pageId: string, psid: string): boolean {
    const page = this.pages.get(pageId);
    if (!page) return false;
    page.psids ??= new Set(page.records.map((r) => r.raw.psid));
    return page.psids.has(psid);
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
    this.settleDue(pageId);
    const record = this.pages.get(pageId)?.byId.get(id);
    return record && cloneCustomer(record.raw);
  }

  /** A deep copy of the customer with that psid (the join key with conversations). */
  findByPsid(pageId: string, psid: string): RawCustomer | undefined {
    this.settleDue(pageId);
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

  /** Inserts customers (given fields over a generated base, or `count` generated ones); copies back. */
  insertCustomers(pageId: string, request: InsertRequest): RawCustomer[] {
    const page = this.pages.get(pageId);
    if (!page) throw new Error(`No page ${pageId}`);
    const now = this.now();
    const wanted: NewCustomer[] =
      'count' in request
        ? Array.from({ length: request.count }, () => ({ fields: {} }))
        : request.customers;
    const psids = (page.psids ??= new Set(page.records.map((r) => r.raw.psid)));
    const taken = { ids: page.byId, psids };
    const records = buildInserted(page.rng, this.seed, pageId, wanted, taken, now);
    for (const r of records) page.byId.set(r.raw.id, r);
    page.records.push(...records);
    if (records.length > SPLICE_LIMIT) page.sorted.clear();
    for (const [orderBy, sorted] of page.sorted) {
      const field = orderBy === 'inserted_at' ? 'insertedMs' : 'updatedMs';
      for (const r of records) sorted.splice(insertionIndex(sorted, r, field), 0, r);
    }
    return records.map((r) => cloneCustomer(r.raw));
  }

  /**
   * A dashboard edit. updated_at becomes now (ms, fractional form) unless keepUpdatedAt;
   * with lateByMs lists keep the previous version until now + lateByMs. Throws when unknown.
   */
  changeCustomer(pageId: string, id: string, request: ChangeRequest): RawCustomer {
    const record = this.require(pageId, id);
    const now = this.now();
    const raw: RawCustomer = { ...cloneCustomer(record.raw), ...copyFields(request.changes) };
    const updatedMs = request.keepUpdatedAt ? record.updatedMs : now;
    if (!request.keepUpdatedAt) {
      record.fractional = true;
      raw.updated_at = formatNaiveUtc(updatedMs, true);
    }
    const late: LateChange = { raw, updatedMs, visibleAtMs: now + request.lateByMs };
    if (request.lateByMs > 0) this.pages.get(pageId)!.late.set(record, late);
    else this.reveal(pageId, record, late);
    return cloneCustomer(raw);
  }

  /** The pending late change of a customer, if any (a copy). */
  lateChangeOf(pageId: string, id: string): LateChange | undefined {
    this.settleDue(pageId);
    const page = this.pages.get(pageId);
    const record = page?.byId.get(id);
    const late = record && page?.late.get(record);
    return late && { ...late, raw: cloneCustomer(late.raw) };
  }

  /** The list window: since <= field (seconds) <= until, newest first, then id ascending. */
  query(pageId: string, q: ListQuery): { total: number; customers: RawCustomer[] } {
    this.settleDue(pageId);
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
    const record = this.writable(pageId, id);
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
    const record = this.writable(pageId, id);
    if (!record) return false;
    this.appendNote(pageId, record, message, apiAuthorOf(this.seed, pageId));
    return true;
  }

  editNote(pageId: string, id: string, noteId: string, message: string): NoteOutcome {
    const record = this.writable(pageId, id);
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
    const record = this.writable(pageId, id);
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

  /** Throws when unknown; a pending late change lands first (the replica caught up). */
  private require(pageId: string, id: string): SimRecord {
    const record = this.writable(pageId, id);
    if (!record) throw new Error(`No customer ${id} on page ${pageId}`);
    return record;
  }

  /** The record to write to: any late change of it becomes visible before a newer write. */
  private writable(pageId: string, id: string): SimRecord | undefined {
    const page = this.pages.get(pageId);
    const record = page?.byId.get(id);
    const late = record && page?.late.get(record);
    if (late) this.reveal(pageId, record, late);
    return record;
  }

  /** Late changes whose time has come become visible, with their earlier updated_at. */
  private settleDue(pageId: string): void {
    const page = this.pages.get(pageId);
    if (!page || page.late.size === 0) return;
    const now = this.now();
    for (const [record, late] of page.late)
      if (late.visibleAtMs <= now) this.reveal(pageId, record, late);
  }

  private reveal(pageId: string, record: SimRecord, late: LateChange): void {
    this.pages.get(pageId)!.late.delete(record);
    this.place(pageId, record, () => {
      record.raw = late.raw;
      record.updatedMs = late.updatedMs;
    });
  }

  /** Bumps updated_at to now and moves the record to its new place in the updated_at order. */
  private touch(pageId: string, record: SimRecord): void {
    this.place(pageId, record, () => {
      record.updatedMs = storedMs(this.now(), record.fractional);
      record.raw.updated_at = formatNaiveUtc(record.updatedMs, record.fractional);
    });
  }

  /** Applies a change of updatedMs, keeping the updated_at order sorted. */
  private place(pageId: string, record: SimRecord, change: () => void): void {
    const sorted = this.pages.get(pageId)!.sorted.get('updated_at');
    if (sorted) sorted.splice(sorted.indexOf(record), 1);
    change();
    if (sorted) sorted.splice(insertionIndex(sorted, record, 'updatedMs'), 0, record);
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

function insertionIndex(
  sorted: readonly SimRecord[],
  record: SimRecord,
  field: 'insertedMs' | 'updatedMs',
): number {
  return firstIndex(sorted, (r) => compare(r, record, field) > 0);
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
