// Every id that goes into an upstream URL path is checked here, so no input can
// change the path (no `/`, `..`, `?`, `#`, `%2F`): strict shapes, then encoded anyway.
import { GatewayError } from '../common/errors/gateway-error.js';

const PAGE_ID = /^[0-9]{1,32}$/;
const PSID = /^[0-9]{1,32}$/;
const CUSTOMER_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOTE_ID = /^[A-Za-z0-9_-]{1,64}$/;

// Longer rejected values are not echoed back: they are not ids and could be huge.
const MAX_ECHOED_LENGTH = 128;

export const isValidPageId = (value: unknown): value is string => matches(PAGE_ID, value);
export const isValidPsid = (value: unknown): value is string => matches(PSID, value);
export const isValidCustomerId = (value: unknown): value is string => matches(CUSTOMER_ID, value);
export const isValidNoteId = (value: unknown): value is string => matches(NOTE_ID, value);

/** A Facebook page id (1..32 digits), encoded for an upstream path. */
export function assertPageId(value: unknown, field = 'pageId'): string {
  return segment(isValidPageId(value), value, field, 'must be 1 to 32 digits');
}

/** A page-scoped user id (1..32 digits), encoded for an upstream path. */
export function assertPsid(value: unknown, field = 'psid'): string {
  return segment(isValidPsid(value), value, field, 'must be 1 to 32 digits');
}

/**
 * A customer id in its one canonical form: upstream ids are lower-case UUIDs, and UUIDs compare
 * case-insensitively, so a valid one is lower-cased. Anything else is returned as given, for
 * assertCustomerId to refuse by its own value. Transports call this once, where an id comes in.
 */
export function normalizeCustomerId(value: unknown): unknown {
  return isValidCustomerId(value) ? value.toLowerCase() : value;
}

/** A Pancake page_customer_id (a UUID, any version, any case), encoded for an upstream path. */
export function assertCustomerId(value: unknown, field = 'id'): string {
  return segment(isValidCustomerId(value), value, field, 'must be a UUID');
}

/** A note id (letters, digits, `_`, `-`; 1..64), encoded for an upstream path or body. */
export function assertNoteId(value: unknown, field = 'noteId'): string {
  return segment(
    isValidNoteId(value),
    value,
    field,
    'must be 1 to 64 letters, digits, underscores or dashes',
  );
}

function matches(pattern: RegExp, value: unknown): boolean {
  return typeof value === 'string' && pattern.test(value);
}

function segment(valid: boolean, value: unknown, field: string, rule: string): string {
  if (valid) return encodeURIComponent(value as string);
  const echoed = typeof value === 'string' && value.length <= MAX_ECHOED_LENGTH ? { value } : {};
  throw GatewayError.badInput([{ field, rule, ...echoed }]);
}
