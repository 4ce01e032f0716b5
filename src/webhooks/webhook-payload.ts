// The body a receiver gets for one event (gateway-contract.md, "Webhook delivery"). Pure.
import { buildAvatarUrl } from '../pancake/avatar-url.js';

/** customer.created, note.removed, ...: the contract's names for CustomerEventType. */
export const PAYLOAD_TYPES: Readonly<Record<string, string>> = {
  CUSTOMER_CREATED: 'customer.created',
  CUSTOMER_UPDATED: 'customer.updated',
  NOTE_CREATED: 'note.created',
  NOTE_UPDATED: 'note.updated',
  NOTE_REMOVED: 'note.removed',
};

/** An event as stored (customer_events), JSON columns parsed. */
export interface EventRow {
  id: string;
  type: string;
  origin: string;
  page_id: string;
  occurred_at: Date;
  changed_fields: string[];
  customer: unknown;
  note: unknown;
}

interface StoredCustomerJson {
  psid: string;
  notes?: { removedAt?: string | null }[];
}

/**
 * The JSON body, serialized once: these exact bytes are signed and sent. The customer is the
 * REST Customer shape (removed notes left out, as reads do by default) with its avatar URL.
 */
export function payloadOf(event: EventRow, avatarBaseUrl: string): string {
  const stored = parsed(event.customer) as StoredCustomerJson & Record<string, unknown>;
  const customer = {
    ...stored,
    notes: (stored.notes ?? []).filter((note) => !note.removedAt),
    avatarUrl: buildAvatarUrl(avatarBaseUrl, event.page_id, stored.psid),
  };
  return JSON.stringify({
    type: PAYLOAD_TYPES[event.type] ?? event.type.toLowerCase(),
    timestamp: new Date(event.occurred_at).toISOString(),
    data: {
      pageId: event.page_id,
      customer,
      changedFields: parsed(event.changed_fields) ?? [],
      note: parsed(event.note) ?? null,
      origin: event.origin,
    },
  });
}

/** jsonb comes back parsed from pg and PGlite; a string is JSON text. */
function parsed(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}
