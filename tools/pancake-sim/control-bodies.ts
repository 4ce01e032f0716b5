// Validation of the /__sim customer bodies: inserts (POST) and dashboard edits (PATCH).
import type { RawCustomer } from './raw-shapes.js';
import { isObject } from './http-io.js';
import { type Parsed, isBirthday } from './request-bodies.js';

/** The customer fields a test may set on insert or change (id and timestamps are the store's). */
export type CustomerFields = Partial<
  Pick<
    RawCustomer,
    | 'name'
    | 'phone_numbers'
    | 'emails'
    | 'gender'
    | 'birthday'
    | 'lives_in'
    | 'customer_id'
    | 'can_inbox'
    | 'thread_id'
    | 'psid'
  >
>;

export interface NewCustomer {
  fields: CustomerFields;
  /** ms epoch; default now. */
  insertedMs?: number;
  /** ms epoch; default insertedMs. */
  updatedMs?: number;
}

export type InsertRequest = { customers: NewCustomer[] } | { count: number };

export interface ChangeRequest {
  changes: CustomerFields;
  lateByMs: number;
  keepUpdatedAt: boolean;
}

export const MAX_INSERT = 100_000;

type Check = (value: unknown) => boolean;
const str: Check = (v) => typeof v === 'string';
const nullable =
  (check: Check): Check =>
  (v) =>
    v === null || check(v);
const strings: Check = (v) => Array.isArray(v) && v.every(str);

/** Field -> [check, rule named in the 400 message]. psid only on insert (it is identity). */
const FIELDS: Record<keyof CustomerFields, [Check, string]> = {
  name: [nullable(str), 'a string or null'],
  phone_numbers: [strings, 'an array of strings'],
  emails: [nullable(strings), 'an array of strings or null'],
  gender: [
    nullable((v) => v === 'male' || v === 'female' || v === 'unknown'),
    'male, female, unknown or null',
  ],
  birthday: [nullable((v) => str(v) && isBirthday(v as string)), 'YYYY-MM-DD or null'],
  lives_in: [nullable(str), 'a string or null'],
  customer_id: [nullable(str), 'a string or null'],
  can_inbox: [(v) => typeof v === 'boolean', 'a boolean'],
  thread_id: [nullable(str), 'a string or null'],
  psid: [(v) => typeof v === 'string' && /^\d{1,32}$/.test(v), 'a string of digits'],
};

export function parseInsert(body: unknown): Parsed<InsertRequest> {
  if (!isObject(body)) return bad('body must be {customers:[...]} or {count:N}');
  if ((body.customers === undefined) === (body.count === undefined))
    return bad('exactly one of customers or count is required');
  if (body.count !== undefined) {
    const count = body.count;
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_INSERT)
      return bad(`count must be an integer from 1 to ${MAX_INSERT}`);
    return { ok: true, value: { count } };
  }
  const list = body.customers;
  if (!Array.isArray(list) || list.length === 0 || list.length > MAX_INSERT)
    return bad(`customers must be an array of 1 to ${MAX_INSERT} objects`);
  const customers: NewCustomer[] = [];
  for (const [index, item] of list.entries()) {
    const parsed = parseNewCustomer(item);
    if (!parsed.ok) return bad(`customers[${index}]: ${parsed.message}`);
    customers.push(parsed.value);
  }
  return { ok: true, value: { customers } };
}

export function parseChange(body: unknown): Parsed<ChangeRequest> {
  if (!isObject(body) || !isObject(body.changes))
    return bad('changes is required and must be an object');
  const extra = Object.keys(body).find(
    (k) => !['changes', 'lateByMs', 'keepUpdatedAt'].includes(k),
  );
  if (extra !== undefined) return bad(`unknown key '${extra}'`);
  const { lateByMs = 0, keepUpdatedAt = false } = body;
  if (typeof lateByMs !== 'number' || !Number.isInteger(lateByMs) || lateByMs < 0)
    return bad('lateByMs must be an integer >= 0');
  if (typeof keepUpdatedAt !== 'boolean') return bad('keepUpdatedAt must be a boolean');
  const { psid: _psid, ...changeable } = FIELDS;
  const changes = parseFields(body.changes, Object.keys(changeable));
  if (!changes.ok) return changes;
  return { ok: true, value: { changes: changes.value, lateByMs, keepUpdatedAt } };
}

function parseNewCustomer(item: unknown): Parsed<NewCustomer> {
  if (!isObject(item)) return bad('must be an object');
  const { insertedAt, updatedAt, ...rest } = item;
  const insertedMs = instant(insertedAt);
  if (insertedMs === null) return bad('insertedAt must be an ISO date-time');
  const updatedMs = instant(updatedAt);
  if (updatedMs === null) return bad('updatedAt must be an ISO date-time');
  if (updatedMs !== undefined && updatedMs < (insertedMs ?? -Infinity))
    return bad('updatedAt must not be before insertedAt');
  const fields = parseFields(rest, Object.keys(FIELDS));
  if (!fields.ok) return fields;
  return { ok: true, value: { fields: fields.value, insertedMs, updatedMs } };
}

function parseFields(input: Record<string, unknown>, allowed: string[]): Parsed<CustomerFields> {
  for (const [key, value] of Object.entries(input)) {
    if (!allowed.includes(key)) return bad(`field '${key}' cannot be set`);
    const [check, rule] = FIELDS[key as keyof CustomerFields];
    if (!check(value)) return bad(`${key} must be ${rule}`);
  }
  return { ok: true, value: input as CustomerFields };
}

/** undefined when absent, null when invalid; a naive string is UTC, as upstream's are. */
function instant(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value)) return null;
  const zoned = /(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? null : ms;
}

function bad<T>(message: string): Parsed<T> {
  return { ok: false, message };
}
