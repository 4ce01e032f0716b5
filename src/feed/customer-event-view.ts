import type { CustomerView } from '../customers/customer-view.js';
import type { StoredEvent } from '../mirror/mirror.store.js';
import { encodeEventCursor } from '../mirror/event-cursor.js';
import type { CustomerEventType, EventOrigin } from '../mirror/models/mirror-enums.js';
import type { NoteRecord } from '../pancake/pancake.model.js';

/** An event as every channel delivers it (GraphQL, REST page, SSE data). */
export interface CustomerEventView {
  id: string;
  cursor: string;
  type: CustomerEventType;
  origin: EventOrigin;
  pageId: string;
  customerId: string;
  occurredAt: Date;
  changedFields: string[];
  customer: CustomerView;
  note: NoteRecord | null;
}

export interface CustomerEventPageView {
  events: CustomerEventView[];
  nextCursor: string | null;
  hasMore: boolean;
}

/** The stored event with its cursor and the customer as the customer reads show it. */
export function eventView(
  event: StoredEvent,
  avatarUrl: (psid: string) => string,
): CustomerEventView {
  return {
    id: event.id,
    cursor: encodeEventCursor(event.pageId, event.seq),
    type: event.type as CustomerEventType,
    origin: event.origin as EventOrigin,
    pageId: event.pageId,
    customerId: event.customerId,
    occurredAt: event.occurredAt,
    changedFields: event.changedFields,
    customer: { ...event.customer, avatarUrl: avatarUrl(event.customer.psid) },
    note: event.note,
  };
}
