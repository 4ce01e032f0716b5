// Pure rules for writes whose outcome is unknown: has one landed, and what a late landing undid.
import type { CustomerRecord, NoteRecord } from '../../pancake/pancake.model.js';
import type { Acknowledgement, InDoubtWrite } from '../stores/write-ledger.js';

export type Landing = { landed: false } | { landed: true; note?: NoteRecord };

/** What a write carried: enough to recognize its effect in a later read. */
export type WriteEffect = Omit<InDoubtWrite, 'id' | 'sentAt' | 'landsBy'>;

const NOT_LANDED: Landing = { landed: false };

/**
 * Whether a read of the customer shows the write's effect. The customer (or note) must have
 * changed since the baseline read and now hold exactly what the write carried, so a value that
 * merely was already there does not count as the write having landed.
 */
export function writeLanded(doubt: WriteEffect, current: CustomerRecord | null): Landing {
  if (!current) return NOT_LANDED;
  switch (doubt.kind) {
    case 'update':
      return changedSince(current.updatedAt, doubt.baselineUpdatedAt) &&
        holdsChanges(current, doubt)
        ? { landed: true }
        : NOT_LANDED;
    case 'note_create': {
      const note = createdNotes(current, doubt)[0];
      return note ? { landed: true, note } : NOT_LANDED;
    }
    case 'note_update': {
      const note = current.notes.find((n) => n.id === doubt.noteId);
      return note &&
        note.message === doubt.message &&
        changedSince(note.updatedAt, doubt.baselineUpdatedAt)
        ? { landed: true, note }
        : NOT_LANDED;
    }
    case 'note_delete':
      return current.notes.some((n) => n.id === doubt.noteId && n.removedAt === null)
        ? NOT_LANDED
        : { landed: true };
  }
}

/** Notes a note_create may have made: new since the POST, with its message, oldest first. */
export function createdNotes(
  current: CustomerRecord,
  doubt: Pick<InDoubtWrite, 'knownNoteIds' | 'message'>,
): NoteRecord[] {
  const known = new Set(doubt.knownNoteIds ?? []);
  return current.notes
    .filter((n) => !known.has(n.id) && n.removedAt === null && n.message === doubt.message)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/**
 * Acknowledged phone numbers that a late write of the gateway removed: the customer's list is
 * exactly what one in-doubt write carried, and numbers the gateway answered as added after
 * that write was sent (and not later replaced away) are missing from it.
 */
export function phonesToRestore(
  current: CustomerRecord,
  doubts: readonly InDoubtWrite[],
  acks: readonly Acknowledgement[],
): string[] {
  const landed = doubts.filter(
    (d) =>
      d.kind === 'update' &&
      d.changes?.phoneNumbers !== undefined &&
      sameSet(d.changes.phoneNumbers, current.phoneNumbers),
  );
  if (landed.length === 0) return [];
  const since = Math.min(...landed.map((d) => d.sentAt));
  const have = new Set(current.phoneNumbers);
  return [...acknowledgedPhones(acks, since)].filter((n) => !have.has(n));
}

/**
 * Copies of the gateway's own note a late POST added: more notes with an in-doubt create's
 * message than the gateway acknowledged. Acknowledged notes are kept; of unacknowledged ones
 * the oldest is kept only when no copy was acknowledged.
 */
export function extraNoteCopies(
  current: CustomerRecord,
  doubts: readonly InDoubtWrite[],
  acks: readonly Acknowledgement[],
): NoteRecord[] {
  const acknowledged = new Set(acks.flatMap((a) => (a.kind === 'note' ? [a.noteId] : [])));
  const extras = new Map<string, NoteRecord>();
  for (const doubt of doubts) {
    if (doubt.kind !== 'note_create') continue;
    const copies = createdNotes(current, doubt);
    if (copies.length < 2) continue;
    const unacknowledged = copies.filter((n) => !acknowledged.has(n.id));
    const keepOldest = unacknowledged.length === copies.length;
    for (const note of keepOldest ? unacknowledged.slice(1) : unacknowledged)
      extras.set(note.id, note);
  }
  return [...extras.values()];
}

/** Numbers whose last acknowledged change since `since` left them on the list. */
function acknowledgedPhones(acks: readonly Acknowledgement[], since: number): Set<string> {
  const present = new Set<string>();
  for (const ack of [...acks].sort((a, b) => a.at - b.at)) {
    if (ack.at <= since) continue;
    if (ack.kind === 'phones-added') for (const n of ack.numbers) present.add(n);
    if (ack.kind === 'phones-set') {
      present.clear();
      for (const n of ack.numbers) present.add(n);
    }
  }
  return present;
}

function changedSince(updatedAt: Date | null, baseline: number | null): boolean {
  if (baseline === null) return true;
  return updatedAt !== null && updatedAt.getTime() > baseline;
}

function holdsChanges(current: CustomerRecord, doubt: WriteEffect): boolean {
  const changes = doubt.changes ?? {};
  return (
    (changes.name === undefined || changes.name === current.name) &&
    (changes.gender === undefined || changes.gender === current.gender) &&
    (changes.birthday === undefined || changes.birthday === current.birthday) &&
    (changes.phoneNumbers === undefined || sameList(changes.phoneNumbers, current.phoneNumbers))
  );
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((value) => set.has(value));
}
