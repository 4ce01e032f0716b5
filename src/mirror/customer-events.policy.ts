// What changed between two versions of a customer, as CustomerEvents with stable ids.
// Pure: the same pair of versions always gives the same events with the same ids, so a
// re-scan, a second replica or a resumed backfill can never record a change twice.
import { fingerprintOf } from '../common/fingerprint.js';
import type { CustomerRecord, NoteRecord } from '../pancake/pancake.model.js';

export type CustomerEventType =
  'CUSTOMER_CREATED' | 'CUSTOMER_UPDATED' | 'NOTE_CREATED' | 'NOTE_UPDATED' | 'NOTE_REMOVED';
export type EventOrigin = 'GATEWAY' | 'PANCAKE';

export interface EventDraft {
  id: string;
  type: CustomerEventType;
  customerId: string;
  occurredAt: Date;
  changedFields: string[];
  note: NoteRecord | null;
}

/** Customer fields whose change is a CUSTOMER_UPDATED (notes have their own events). */
export const TRACKED_FIELDS = [
  'psid',
  'globalCustomerId',
  'name',
  'phoneNumbers',
  'emails',
  'gender',
  'livesIn',
  'birthday',
  'insertedAt',
] as const satisfies readonly (keyof CustomerRecord)[];

/** The content a version is recognised by: every field, notes included. */
export function contentHashOf(record: CustomerRecord): string {
  return fingerprintOf(record);
}

/**
 * Whether `next` may replace `stored`: never an older version (a lagging read, a late page),
 * and only when something differs.
 */
export function isNewer(stored: CustomerRecord, storedHash: string, next: CustomerRecord): boolean {
  const before = stored.updatedAt?.getTime() ?? -Infinity;
  const after = next.updatedAt?.getTime() ?? -Infinity;
  if (after < before) return false;
  return contentHashOf(next) !== storedHash;
}

export type TrackedField = (typeof TRACKED_FIELDS)[number];

export function changedFieldsOf(before: CustomerRecord, after: CustomerRecord): TrackedField[] {
  return TRACKED_FIELDS.filter(
    (field) => fingerprintOf(before[field]) !== fingerprintOf(after[field]),
  );
}

/** The events that take `before` (null: never seen) to `after`. */
export function eventsBetween(
  pageId: string,
  before: CustomerRecord | null,
  after: CustomerRecord,
): EventDraft[] {
  const id = (...parts: unknown[]): string =>
    `evt_${fingerprintOf([pageId, after.id, ...parts]).slice(0, 32)}`;
  const events: EventDraft[] = [];
  const versionAt = after.updatedAt ?? after.insertedAt ?? new Date(0);
  if (!before) {
    events.push({
      id: id('created'),
      type: 'CUSTOMER_CREATED',
      customerId: after.id,
      occurredAt: after.insertedAt ?? versionAt,
      changedFields: [],
      note: null,
    });
  } else {
    const changedFields = changedFieldsOf(before, after);
    if (changedFields.length > 0)
      events.push({
        id: id('updated', versionAt.getTime(), fingerprintOf(changedFields.map((f) => after[f]))),
        type: 'CUSTOMER_UPDATED',
        customerId: after.id,
        occurredAt: versionAt,
        changedFields,
        note: null,
      });
  }
  events.push(...noteEvents(before?.notes ?? [], after.notes, after.id, id));
  return events;
}

function noteEvents(
  before: readonly NoteRecord[],
  after: readonly NoteRecord[],
  customerId: string,
  id: (...parts: unknown[]) => string,
): EventDraft[] {
  const known = new Map(before.map((note) => [note.id, note]));
  const events: EventDraft[] = [];
  const event = (
    type: CustomerEventType,
    note: NoteRecord,
    occurredAt: Date,
    ...parts: unknown[]
  ): void => {
    events.push({
      id: id(type, note.id, ...parts),
      type,
      customerId,
      occurredAt,
      changedFields: [],
      note,
    });
  };
  for (const note of after) {
    const previous = known.get(note.id);
    if (!previous) {
      event('NOTE_CREATED', note, note.createdAt);
      if (note.removedAt) event('NOTE_REMOVED', note, note.removedAt);
      continue;
    }
    const edited =
      previous.message !== note.message ||
      (previous.updatedAt?.getTime() ?? null) !== (note.updatedAt?.getTime() ?? null);
    if (edited)
      event(
        'NOTE_UPDATED',
        note,
        note.updatedAt ?? note.createdAt,
        note.updatedAt?.getTime() ?? null,
        fingerprintOf(note.message),
      );
    if (note.removedAt && !previous.removedAt) event('NOTE_REMOVED', note, note.removedAt);
  }
  return events;
}
