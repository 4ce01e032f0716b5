// The change feed's inputs, checked by name: limits, type filters, where a feed starts.
import { GatewayError } from '../common/errors/gateway-error.js';
import type { CustomerEventType } from '../mirror/customer-events.policy.js';
import { decodeEventCursor } from '../mirror/event-cursor.js';

export const EVENT_TYPES: readonly CustomerEventType[] = [
  'CUSTOMER_CREATED',
  'CUSTOMER_UPDATED',
  'NOTE_CREATED',
  'NOTE_UPDATED',
  'NOTE_REMOVED',
];
export const DEFAULT_EVENTS_LIMIT = 100;
export const MAX_EVENTS_LIMIT = 1000;

/** A page size: an integer 1..1000 (REST sends it as text); absent: 100. */
export function eventsLimit(value: string | number | undefined | null, field: string): number {
  if (value === undefined || value === null || value === '') return DEFAULT_EVENTS_LIMIT;
  const number = typeof value === 'number' ? value : /^\d{1,7}$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(number) || number < 1 || number > MAX_EVENTS_LIMIT)
    throw GatewayError.badInput([
      { field, rule: `must be an integer from 1 to ${MAX_EVENTS_LIMIT}`, value },
    ]);
  return number;
}

/**
 * A type filter: a list, or REST's comma-separated (or repeated) parameter. Absent or empty:
 * null, every type.
 */
export function eventTypes(
  value: string | readonly string[] | undefined | null,
  field = 'types',
): CustomerEventType[] | null {
  if (value === undefined || value === null) return null;
  const names = (typeof value === 'string' ? [value] : value)
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (names.length === 0) return null;
  const unknown = names.filter((name) => !EVENT_TYPES.includes(name as CustomerEventType));
  if (unknown.length > 0)
    throw GatewayError.badInput([
      { field, rule: `must be among ${EVENT_TYPES.join(', ')}`, value: unknown.join(',') },
    ]);
  return [...new Set(names as CustomerEventType[])];
}

/**
 * The cursor a stream resumes after: SSE's Last-Event-ID (what the browser saw last) wins over
 * the URL's `after` (where it first started). Null: none given, start at the live edge.
 */
export function resumeSeq(
  pageId: string,
  after: string | undefined | null,
  lastEventId?: string | undefined | null,
): number | null {
  if (lastEventId) return decodeEventCursor(pageId, lastEventId, 'Last-Event-ID');
  if (after) return decodeEventCursor(pageId, after, 'after');
  return null;
}
