// Deterministic generation of a page's customers (one PRNG stream per page and seed).
import type { RawCustomer, RawNote, RawNoteAuthor } from './raw-shapes.js';
import { Rng, deriveSeed, weights } from './prng.js';
import { SEED_END_MS, SEED_START_MS, formatNaiveUtc, storedMs } from './sim-time.js';
import * as words from './seed-vocabulary.js';

// Module-level aliases: global lookups are slow inside vm contexts (jest), and these run 100,000s of times.
const { floor } = Math;
const text = String;

// Weight tables built once: generation draws from them 100,000s of times.
const GENDERS = weights({ male: 35, female: 40, unknown: 15, none: 10 });
const NAME_KINDS = weights({ full: 70, short: 12, western: 8, decorated: 7, none: 3 });
const PHONE_COUNTS = weights({ zero: 30, one: 55, two: 15 });
const EMAIL_KINDS = weights({ none: 50, empty: 10, one: 40 });
const BIRTHDAY_KINDS = weights({ none: 50, full: 35, yearOnly: 10, noYear: 5 });

/** A stored customer: the upstream object plus what the simulator needs to sort and filter. */
export interface SimRecord {
  raw: RawCustomer;
  insertedMs: number;
  updatedMs: number;
  /** Which of the two observed timestamp forms this customer's strings use. */
  fractional: boolean;
}

/** The page's dashboard staff: authors of seeded notes and of store.addNote. */
export function staffOf(seed: number, pageId: string): RawNoteAuthor[] {
  const rng = new Rng(deriveSeed(seed, `staff:${pageId}`));
  return words.STAFF_NAMES.map((name, i) => ({
    uid: rng.uuidV4(),
    // One staff account has no linked Facebook profile: the author fields are nullable upstream.
    fb_id: i === 2 ? null : rng.digits(15),
    fb_name: i === 2 ? null : name,
  }));
}

/** The author of notes written through the Public API (assumed: the page token's app identity). */
export function apiAuthorOf(seed: number, pageId: string): RawNoteAuthor {
  return { uid: new Rng(deriveSeed(seed, `api:${pageId}`)).uuidV4(), fb_id: null, fb_name: null };
}

/**
 * `count` customers for pageId. `linked` (the first page's records) makes every 4th customer the
 * same person as on the first page: same customer_id and name, its own id and psid.
 */
export function generateCustomers(
  seed: number,
  pageId: string,
  count: number,
  linked: readonly SimRecord[] = [],
): SimRecord[] {
  const rng = new Rng(deriveSeed(seed, `page:${pageId}`));
  const staff = staffOf(seed, pageId);
  const ids = new Set<string>();
  const psids = new Set<string>();
  const records: SimRecord[] = new Array<SimRecord>(count);
  for (let i = 0; i < count; i++) {
    const record = generateOne(
      rng,
      pageId,
      staff,
      unique(ids, () => rng.uuidV4()),
      unique(psids, () => rng.digits(rng.int(15, 17))),
    );
    const twin = i % 4 === 0 ? linked[i] : undefined;
    if (twin?.raw.customer_id) {
      record.raw.customer_id = twin.raw.customer_id;
      record.raw.name = twin.raw.name;
    }
    records[i] = record;
  }
  return records;
}

// Collisions are astronomically rare, but ids are map keys: never let one slip through.
function unique(seen: Set<string>, make: () => string): string {
  let value = make();
  while (seen.has(value)) value = make();
  seen.add(value);
  return value;
}

/** One realistic customer from the stream (also used for customers inserted at runtime). */
export function generateOne(
  rng: Rng,
  pageId: string,
  staff: RawNoteAuthor[],
  id: string,
  psid: string,
): SimRecord {
  const fractional = rng.chance(0.5);
  const insertedMs = storedMs(
    SEED_START_MS + floor(rng.next() * (SEED_END_MS - SEED_START_MS)),
    fractional,
  );
  const updatedMs = rng.chance(0.35)
    ? insertedMs
    : storedMs(insertedMs + floor(rng.next() * (SEED_END_MS - insertedMs)), fractional);
  const name = makeName(rng);
  const gender = rng.weighted(GENDERS);
  const raw: RawCustomer = {
    id,
    customer_id: rng.chance(0.85) ? rng.uuidV4() : null,
    psid,
    name,
    phone_numbers: makePhones(rng),
    emails: makeEmails(rng, name),
    gender: gender === 'none' ? null : gender,
    birthday: makeBirthday(rng),
    lives_in: rng.chance(0.4) ? rng.pick(words.CITIES) : null,
    thread_id: rng.chance(0.9) ? `${pageId}_${psid}` : null,
    can_inbox: rng.chance(0.9),
    recent_orders: null,
    inserted_at: formatNaiveUtc(insertedMs, fractional),
    updated_at: formatNaiveUtc(updatedMs, fractional),
    notes: rng.chance(0.25) ? makeNotes(rng, staff, insertedMs, updatedMs) : [],
  };
  return { raw, insertedMs, updatedMs, fractional };
}

function makeName(rng: Rng): string | null {
  const kind = rng.weighted(NAME_KINDS);
  const given = rng.pick(words.GIVEN_NAMES);
  const family = rng.pick(words.FAMILY_NAMES);
  switch (kind) {
    case 'full':
      return `${family} ${rng.pick(words.MIDDLE_NAMES)} ${given}`;
    case 'short':
      return `${given} ${family}`;
    case 'western':
      return rng.pick(words.WESTERN_NAMES);
    case 'decorated': {
      const mark = rng.pick(words.DECORATIONS);
      return `${mark} ${given} ${mark}`;
    }
    default:
      return null;
  }
}

/** Messy, as typed by customers and staff: Pancake stores phone numbers as given. */
function makePhones(rng: Rng): string[] {
  const count = rng.weighted(PHONE_COUNTS);
  if (count === 'zero') return [];
  const first = localNumber(rng);
  if (count === 'one') return [formatPhone(rng, first)];
  // Sometimes the same number twice in two spellings, as real records have.
  const second = rng.chance(0.3) ? first : localNumber(rng);
  return [formatPhone(rng, first), formatPhone(rng, second)];
}

function localNumber(rng: Rng): string {
  return `${rng.pick(words.MOBILE_PREFIXES)}${text(rng.int(0, 9_999_999)).padStart(7, '0')}`;
}

function formatPhone(rng: Rng, local: string): string {
  const rest = local.slice(1);
  switch (rng.int(0, 6)) {
    case 0:
      return `+84${rest}`;
    case 1:
      return `84${rest}`;
    case 2:
      return `${local.slice(0, 3)} ${local.slice(3, 6)}-${local.slice(6)}`;
    case 3:
      return `${local.slice(0, 3)}.${local.slice(3, 6)}.${local.slice(6)}`;
    case 4:
      return `(+84) ${rest.slice(0, 2)} ${rest.slice(2, 5)} ${rest.slice(5)}`;
    default:
      return local;
  }
}

function makeEmails(rng: Rng, name: string | null): string[] | null {
  const kind = rng.weighted(EMAIL_KINDS);
  if (kind === 'none') return null;
  if (kind === 'empty') return [];
  return [`${asciiLocal(name ?? 'khach')}${rng.int(1, 999)}@${rng.pick(words.EMAIL_DOMAINS)}`];
}

// Names repeat a lot: strip diacritics once per distinct name.
const asciiCache = new Map<string, string>();

function asciiLocal(name: string): string {
  let local = asciiCache.get(name);
  if (local === undefined) {
    local =
      name
        .normalize('NFD')
        .replace(/\p{M}/gu, '')
        .replace(/[đĐ]/g, 'd')
        .toLowerCase()
        .replace(/[^a-z]+/g, '') || 'khach';
    asciiCache.set(name, local);
  }
  return local;
}

/** Full, year only, month and day only (Facebook hides the year), or unknown. */
function makeBirthday(rng: Rng): string | null {
  const kind = rng.weighted(BIRTHDAY_KINDS);
  const year = text(rng.int(1960, 2008));
  const month = text(rng.int(1, 12)).padStart(2, '0');
  const day = text(rng.int(1, 28)).padStart(2, '0');
  if (kind === 'full') return `${year}-${month}-${day}`;
  if (kind === 'yearOnly') return `${year}-00-00`;
  if (kind === 'noYear') return `0000-${month}-${day}`;
  return null;
}

function makeNotes(rng: Rng, staff: RawNoteAuthor[], fromMs: number, toMs: number): RawNote[] {
  const notes: RawNote[] = [];
  const count = rng.int(1, 3);
  for (let i = 0; i < count; i++) {
    const createdAt = fromMs + floor(rng.next() * (toMs - fromMs + 1));
    const note: RawNote = {
      id: rng.hex(24),
      message: rng.pick(words.NOTE_MESSAGES),
      created_at: createdAt,
      updated_at: null,
      removed_at: null,
      created_by: rng.pick(staff),
      edit_history: [],
      // Images and links only come from the dashboard; a few seeded notes have them.
      images: rng.chance(0.03) ? [`https://content.pancake.vn/notes/${rng.hex(16)}.jpg`] : [],
      links: rng.chance(0.05) ? [`https://shopee.vn/product/${rng.digits(9)}`] : [],
      order_id: null,
    };
    if (rng.chance(0.15) && toMs > createdAt) {
      const editedAt = createdAt + 1 + floor(rng.next() * (toMs - createdAt));
      note.edit_history.push({ message: rng.pick(words.NOTE_MESSAGES), updated_at: createdAt });
      note.updated_at = editedAt;
    }
    notes.push(note);
  }
  return notes.sort((a, b) => a.created_at - b.created_at);
}
