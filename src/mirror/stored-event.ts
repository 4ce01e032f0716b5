import type { CustomerRecord } from '../pancake/pancake.model.js';
import type { EventDraft, EventOrigin } from './customer-events.policy.js';

/** A recorded event, as stored (cursor = its per-page sequence number). */
export interface StoredEvent extends EventDraft {
  pageId: string;
  seq: number;
  origin: EventOrigin;
  customer: CustomerRecord;
}
