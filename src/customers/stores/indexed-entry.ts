import type { CustomerRecord } from '../../pancake/pancake.model.js';
import type { IndexedCustomer } from './customer-index.js';

/** The index entry of a customer seen at seenAt (both backends store this shape). */
export function indexEntryOf(record: CustomerRecord, seenAt: Date): IndexedCustomer {
  return {
    pageId: record.pageId,
    psid: record.psid,
    insertedAt: record.insertedAt,
    updatedAt: record.updatedAt,
    snapshot: record,
    seenAt,
  };
}
