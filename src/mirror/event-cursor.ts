// Event cursors: opaque to clients, bound to their page, strictly increasing per page.
import { GatewayError } from '../common/errors/gateway-error.js';

const PREFIX = 'e1';

/** The cursor of the event with this per-page sequence number. */
export function encodeEventCursor(pageId: string, seq: number): string {
  return Buffer.from(`${PREFIX}:${pageId}:${seq}`).toString('base64url');
}

/**
 * The sequence number a cursor stands for; 400 naming `field` when it is malformed or was
 * made for another page (a cursor is only meaningful on its own page).
 */
export function decodeEventCursor(pageId: string, cursor: string, field = 'after'): number {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString()
    : '';
  const [prefix, page, seq] = text.split(':');
  const value = Number(seq);
  if (
    prefix !== PREFIX ||
    page === undefined ||
    !/^\d{1,15}$/.test(seq ?? '') ||
    !Number.isSafeInteger(value)
  )
    throw GatewayError.badInput([
      { field, rule: 'must be a cursor this API returned', value: cursor },
    ]);
  if (page !== pageId)
    throw GatewayError.badInput([
      { field, rule: `is a cursor of another page, not of page ${pageId}`, value: cursor },
    ]);
  return value;
}
