// Upstream shapes <-> the gateway model. Reads are tolerant: upstream's schema drifts
// (fields missing, null, or of another type), so map what is there and never throw.
import type {
  CustomerChanges,
  CustomerListPage,
  CustomerListQuery,
  CustomerOrderBy,
  CustomerRecord,
  Gender,
  NoteAuthorRecord,
  NoteRecord,
} from './pancake.model.js';
import type {
  RawCustomer,
  RawCustomerChanges,
  RawListResponse,
  RawNote,
  RawOrderBy,
} from './pancake.raw.js';
import { fromUnixMillis, parseNaiveUtc, toUnixSeconds } from './upstream-time.js';

const GENDERS: readonly Gender[] = ['male', 'female', 'unknown'];
// Upstream keeps unknown parts as 00 (1998-00-00), so only the shape is checked.
const BIRTHDAY = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/;

/** Query parameters of the upstream list call (page_access_token is added by the client). */
export interface RawListParams {
  /** Unix seconds. */
  since: number;
  /** Unix seconds. */
  until: number;
  page_number: number;
  page_size: number;
  order_by: RawOrderBy;
}

/** One upstream customer as the gateway's record; removed notes are kept, with removedAt set. */
export function mapCustomer(raw: RawCustomer, pageId: string): CustomerRecord {
  const r = asObject(raw);
  return {
    id: text(r.id) ?? '',
    psid: text(r.psid) ?? '',
    pageId,
    globalCustomerId: text(r.customer_id),
    name: text(r.name),
    phoneNumbers: texts(r.phone_numbers),
    emails: texts(r.emails),
    gender: gender(r.gender),
    livesIn: text(r.lives_in),
    birthday: typeof r.birthday === 'string' && BIRTHDAY.test(r.birthday) ? r.birthday : null,
    insertedAt: parseNaiveUtc(stringOrNull(r.inserted_at)),
    updatedAt: parseNaiveUtc(stringOrNull(r.updated_at)),
    notes: notes(r.notes),
  };
}

/** One upstream note as the gateway's record (times from Unix milliseconds). */
export function mapNote(raw: RawNote): NoteRecord {
  const r = asObject(raw);
  const updatedAt = fromUnixMillis(numberOrNull(r.updated_at));
  return {
    id: text(r.id) ?? '',
    message: text(r.message) ?? '',
    // createdAt cannot be null in the contract: fall back to the edit time, then the epoch.
    createdAt: fromUnixMillis(numberOrNull(r.created_at)) ?? updatedAt ?? new Date(0),
    updatedAt,
    removedAt: fromUnixMillis(numberOrNull(r.removed_at)),
    createdBy: author(r.created_by),
    images: texts(r.images),
    links: texts(r.links),
  };
}

/** One upstream list page; `total` falls back to what was received when missing. */
export function mapCustomerListPage(raw: RawListResponse, pageId: string): CustomerListPage {
  const r = asObject(raw);
  const customers = Array.isArray(r.customers)
    ? r.customers.filter(isObject).map((c) => mapCustomer(c as unknown as RawCustomer, pageId))
    : [];
  const total =
    typeof r.total === 'number' && Number.isFinite(r.total) ? r.total : customers.length;
  return { total, customers };
}

/** Validated changes as the PUT `{changes}` body: snake_case, only the keys that are set. */
export function toRawChanges(changes: CustomerChanges): RawCustomerChanges {
  const raw: RawCustomerChanges = {};
  if (changes.name !== undefined) raw.name = changes.name;
  if (changes.phoneNumbers !== undefined) raw.phone_numbers = [...changes.phoneNumbers];
  if (changes.gender !== undefined) raw.gender = changes.gender;
  if (changes.birthday !== undefined) raw.birthday = changes.birthday;
  return raw;
}

export function toUpstreamOrder(orderBy: CustomerOrderBy): RawOrderBy {
  switch (orderBy) {
    case 'inserted_at':
      return 'inserted_at';
    case 'updated_at':
      return 'updated_at';
  }
}

/** The list query as upstream parameters: since/until in Unix seconds (floored). */
export function toRawListParams(query: CustomerListQuery): RawListParams {
  return {
    since: toUnixSeconds(query.since),
    until: toUnixSeconds(query.until),
    page_number: query.pageNumber,
    page_size: query.pageSize,
    order_by: toUpstreamOrder(query.orderBy),
  };
}

// Removed notes too (the contract's Note.removedAt): the transports hide them unless asked.
function notes(value: unknown): NoteRecord[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(isObject)
    .map((n) => mapNote(n as unknown as RawNote))
    .filter((n) => n.id !== ''); // a note without id cannot be addressed: not shown
}

function author(value: unknown): NoteAuthorRecord | null {
  if (!isObject(value)) return null;
  const uid = text(value.uid);
  return uid === null ? null : { uid, name: text(value.fb_name) };
}

function gender(value: unknown): Gender | null {
  const lower = typeof value === 'string' ? value.toLowerCase() : null;
  return GENDERS.find((g) => g === lower) ?? null;
}

/** A string as is; a number (ids sometimes drift to numbers) as its decimal text; else null. */
function text(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return null;
}

function texts(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value.map(text).filter((t): t is string => t !== null);
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function numberOrNull(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): Record<string, unknown> {
  return isObject(value) ? value : {};
}
