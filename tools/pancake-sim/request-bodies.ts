// Validation of PUT {changes} and of the note bodies, with upstream's rules.
import type { RawCustomerChanges, RawGender } from './raw-shapes.js';
import { isObject } from './http-io.js';

const ACCEPTED = ['name', 'phone_numbers', 'gender', 'birthday'] as const;
const GENDERS: readonly RawGender[] = ['male', 'female', 'unknown'];
// Unknown parts are 00 upstream (1998-00-00, 0000-05-12).
const BIRTHDAY = /^(\d{4})-(\d{2})-(\d{2})$/;

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseChanges(body: unknown): Parsed<RawCustomerChanges> {
  if (!isObject(body) || !isObject(body.changes))
    return bad('changes is required and must be an object');
  const changes = body.changes;
  const rejected = Object.keys(changes).find(
    (key) => !(ACCEPTED as readonly string[]).includes(key),
  );
  if (rejected !== undefined) return bad(`Field '${rejected}' cannot be updated`);
  const { name, phone_numbers: phones, gender, birthday } = changes;
  if (name !== undefined && typeof name !== 'string') return bad('name must be a string');
  if (
    phones !== undefined &&
    !(Array.isArray(phones) && phones.every((p) => typeof p === 'string'))
  )
    return bad('phone_numbers must be an array of strings');
  if (gender !== undefined && !GENDERS.includes(gender as RawGender))
    return bad('Invalid gender: must be male, female or unknown');
  if (birthday !== undefined && !(typeof birthday === 'string' && isBirthday(birthday)))
    return bad('Invalid birthday: must be YYYY-MM-DD');
  return { ok: true, value: changes as RawCustomerChanges };
}

export function parseNoteMessage(body: unknown): Parsed<string> {
  const message = isObject(body) ? body.message : undefined;
  if (typeof message !== 'string' || message.trim() === '') return bad('message is required');
  return { ok: true, value: message };
}

export function parseNoteId(body: unknown): Parsed<string> {
  const noteId = isObject(body) ? body.note_id : undefined;
  if (typeof noteId !== 'string' || noteId === '') return bad('Invalid note_id');
  return { ok: true, value: noteId };
}

export function isBirthday(text: string): boolean {
  const match = BIRTHDAY.exec(text);
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  if (month > 12 || day > 31) return false;
  // A fully known date must exist in the calendar; partial ones only need plausible parts.
  if (year === 0 || month === 0 || day === 0) return true;
  const date = new Date(Date.UTC(2000, month - 1, day));
  date.setUTCFullYear(year);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function bad<T>(message: string): Parsed<T> {
  return { ok: false, message };
}
