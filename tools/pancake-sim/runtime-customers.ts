// Customers inserted at runtime over /__sim: a generated realistic base with the given fields over it.
import type { RawCustomer } from './raw-shapes.js';
import type { Rng } from './prng.js';
import type { CustomerFields, NewCustomer } from './control-bodies.js';
import { type SimRecord, generateOne, staffOf } from './seed-data.js';
import { formatNaiveUtc } from './sim-time.js';

export interface Taken {
  ids: ReadonlyMap<string, unknown>;
  /** Updated here with each new psid. */
  psids: Set<string>;
}

/** New records, timestamps default now; ids and psids unique on the page. */
export function buildInserted(
  rng: Rng,
  seed: number,
  pageId: string,
  wanted: readonly NewCustomer[],
  taken: Taken,
  now: number,
): SimRecord[] {
  const staff = staffOf(seed, pageId);
  const ids = new Set<string>();
  return wanted.map((item) => {
    let id = rng.uuidV4();
    while (taken.ids.has(id) || ids.has(id)) id = rng.uuidV4();
    ids.add(id);
    let psid = rng.digits(rng.int(15, 17));
    while (taken.psids.has(psid)) psid = rng.digits(rng.int(15, 17));
    const record = generateOne(rng, pageId, staff, id, item.fields.psid ?? psid);
    taken.psids.add(record.raw.psid);
    // Runtime customers use the fractional form: upstream writes microseconds.
    record.fractional = true;
    record.insertedMs = item.insertedMs ?? Math.min(now, item.updatedMs ?? now);
    record.updatedMs = item.updatedMs ?? record.insertedMs;
    const raw = record.raw;
    if (raw.thread_id !== null) raw.thread_id = `${pageId}_${raw.psid}`;
    Object.assign(raw, copyFields(item.fields), {
      inserted_at: formatNaiveUtc(record.insertedMs, true),
      updated_at: formatNaiveUtc(record.updatedMs, true),
      notes: [],
    } satisfies Partial<RawCustomer>);
    return record;
  });
}

/** Arrays copied, so the store never shares them with a request body. */
export function copyFields(fields: CustomerFields): CustomerFields {
  const copy = { ...fields };
  if (copy.phone_numbers) copy.phone_numbers = [...copy.phone_numbers];
  if (copy.emails) copy.emails = [...copy.emails];
  return copy;
}
