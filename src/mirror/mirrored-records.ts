import type { CustomerRecord } from '../pancake/pancake.model.js';

/**
 * Parsed customer records kept for reuse by the layer that owns the process's memory budget:
 * a row is recognised by its page, id and the version that last wrote it, so a reused record is
 * exactly what the database holds. The mirror only asks; it keeps nothing itself.
 */
export interface MirroredRecords {
  get(pageId: string, id: string, changedVersion: number): CustomerRecord | undefined;
  set(pageId: string, id: string, changedVersion: number, record: CustomerRecord): void;
}

/** Until a keeper is bound: every record is read from the database. */
export const NO_RECORD_REUSE: MirroredRecords = {
  get: () => undefined,
  set: () => undefined,
};
