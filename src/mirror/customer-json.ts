// CustomerRecord <-> the JSON kept in the mirror (Dates as ISO strings, nothing else changes).
import type { CustomerRecord, NoteRecord } from '../pancake/pancake.model.js';

type Stored<T> = { [K in keyof T]: T[K] extends Date | null ? string | null : T[K] };
type StoredNote = Stored<NoteRecord>;
type StoredCustomer = Omit<Stored<CustomerRecord>, 'notes'> & { notes: StoredNote[] };

const date = (value: string | null): Date | null => (value === null ? null : new Date(value));

export function customerToJson(record: CustomerRecord): string {
  return JSON.stringify(record);
}

/** A stored record back as the model (the inverse of customerToJson). */
export function customerFromJson(value: unknown): CustomerRecord {
  const stored = (typeof value === 'string' ? JSON.parse(value) : value) as StoredCustomer;
  return {
    ...stored,
    insertedAt: date(stored.insertedAt),
    updatedAt: date(stored.updatedAt),
    notes: stored.notes.map(noteFromJson),
  };
}

export function noteFromJson(value: unknown): NoteRecord {
  const stored = (typeof value === 'string' ? JSON.parse(value) : value) as StoredNote;
  return {
    ...stored,
    createdAt: new Date(stored.createdAt as string),
    updatedAt: date(stored.updatedAt),
    removedAt: date(stored.removedAt),
  };
}
