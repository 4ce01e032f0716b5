// Export cursors: the id of the last customer sent, bound to its page, opaque to clients.
import { GatewayError } from '../../common/errors/gateway-error.js';

const PREFIX = 'x1';
const ID = /^[A-Za-z0-9-]{1,64}$/;

/** The cursor after the customer with this id (the export goes in id order). */
export function encodeExportCursor(pageId: string, customerId: string): string {
  return Buffer.from(`${PREFIX}:${pageId}:${customerId}`).toString('base64url');
}

/** The customer id a cursor stands for; 400 naming `field` when malformed or of another page. */
export function decodeExportCursor(pageId: string, cursor: string, field = 'after'): string {
  const text = /^[A-Za-z0-9_-]{1,200}$/.test(cursor)
    ? Buffer.from(cursor, 'base64url').toString()
    : '';
  const [prefix, page, id, ...rest] = text.split(':');
  if (prefix !== PREFIX || page === undefined || !ID.test(id ?? '') || rest.length > 0)
    throw GatewayError.badInput([
      { field, rule: 'must be a cursor an export line carried', value: cursor },
    ]);
  if (page !== pageId)
    throw GatewayError.badInput([
      { field, rule: `is a cursor of another page, not of page ${pageId}`, value: cursor },
    ]);
  return id!;
}
