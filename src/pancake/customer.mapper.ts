// Upstream shapes <-> the gateway model. Reads map answers the schema has already checked
// (checkListAnswer): types are right, nulls become empty lists or null, units become Dates.
import type {
  CustomerChanges,
  CustomerListPage,
  CustomerListQuery,
  CustomerOrderBy,
  CustomerRecord,
  Gender,
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

/** One validated upstream customer as the gateway's record; removed notes are kept, with removedAt set. */
export function mapCustomer(raw: RawCustomer, pageId: string): CustomerRecord {
  return {
    id: raw.id,
    psid: raw.psid,
    pageId,
    globalCustomerId: raw.customer_id ?? null,
    name: raw.name ?? null,
    phoneNumbers: raw.phone_numbers ?? [],
    emails: raw.emails ?? [],
    gender: gender(raw.gender),
    livesIn: raw.lives_in ?? null,
    birthday: raw.birthday != null && BIRTHDAY.test(raw.birthday) ? raw.birthday : null,
    insertedAt: parseNaiveUtc(raw.inserted_at),
    updatedAt: parseNaiveUtc(raw.updated_at),
    // Removed notes too (the contract's Note.removedAt): the transports hide them unless asked.
    notes: (raw.notes ?? []).map(mapNote),
  };
}

/** One validated upstream note as the gateway's record (times from Unix milliseconds). */
export function mapNote(raw: RawNote): NoteRecord {
  return {
    id: raw.id,
    message: raw.message,
    // The schema keeps created_at within the Date range, so it always converts.
    createdAt: fromUnixMillis(raw.created_at) ?? new Date(0),
    updatedAt: fromUnixMillis(raw.updated_at),
    removedAt: fromUnixMillis(raw.removed_at),
    createdBy: raw.created_by
      ? { uid: raw.created_by.uid, name: raw.created_by.fb_name ?? null }
      : null,
    images: raw.images ?? [],
    links: raw.links ?? [],
  };
}

/** One validated upstream list page (see checkListAnswer). */
export function mapCustomerListPage(raw: RawListResponse, pageId: string): CustomerListPage {
  return { total: raw.total, customers: raw.customers.map((c) => mapCustomer(c, pageId)) };
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

function gender(value: string | null | undefined): Gender | null {
  const lower = value?.toLowerCase();
  return GENDERS.find((g) => g === lower) ?? null;
}
