// Sizes for V8 on 64-bit Node without pointer compression (the official builds). Checked
// against heap deltas (README, "Memory budget"): close enough to budget by, far cheaper than
// serializing.
const POINTER = 8;
/** A plain object: map, properties and elements pointers; its fields are in-object slots. */
const OBJECT_HEADER = 3 * POINTER;
/** A JSArray (map, properties, elements, length) and its backing store's header. */
const ARRAY_HEADER = 6 * POINTER;
/** A sequential string: map, hash and length. */
const STRING_HEADER = 16;
/** A JSDate with its cached date fields, and the boxed time value. */
const DATE_BYTES = 112;
/** A double, or an integer outside the small-integer range, is boxed. */
const HEAP_NUMBER = 16;
/** Any character above Latin-1 makes V8 keep the whole string at two bytes a character. */
const TWO_BYTE = /[\u0100-\uffff]/;
/** Longer arrays are sized from this many items, spread evenly, scaled to the length. */
export const ARRAY_SAMPLE = 16;

/**
 * An estimate of the heap a value retains, without serializing it: objects and arrays by their
 * slots, strings by length and encoding, Dates and boxed numbers by their fixed size, byte
 * arrays by their length. Arrays longer than ARRAY_SAMPLE are sized from a spread sample of
 * their items (a 100-customer page: 16 customers walked, ~12 µs instead of ~60 µs for all;
 * within ±17 % of the full walk for 90 % of pages, unbiased over many). Shared parts are
 * counted wherever they are reached: a record held by two caches is counted in both.
 */
export function estimateRetainedBytes(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return stringBytes(value);
    case 'number':
      return Number.isInteger(value) && Math.abs(value) < 2 ** 31 ? 0 : HEAP_NUMBER;
    case 'object':
      return value === null ? 0 : objectBytes(value);
    default:
      return 0; // booleans and undefined live in their slot; cached values hold no functions
  }
}

function stringBytes(text: string): number {
  const perCharacter = TWO_BYTE.test(text) ? 2 : 1;
  return roundUp(STRING_HEADER + text.length * perCharacter);
}

function objectBytes(value: object): number {
  if (value instanceof Date) return DATE_BYTES;
  if (ArrayBuffer.isView(value)) return ARRAY_HEADER + value.byteLength;
  if (Array.isArray(value)) return arrayBytes(value as unknown[]);
  let bytes = OBJECT_HEADER;
  const record = value as Record<string, unknown>;
  // for-in, as deepFreeze: no key array per object. Own keys only.
  for (const key in record) {
    if (Object.hasOwn(record, key)) bytes += POINTER + estimateRetainedBytes(record[key]);
  }
  return bytes;
}

function arrayBytes(items: unknown[]): number {
  const slots = ARRAY_HEADER + items.length * POINTER;
  if (items.length <= ARRAY_SAMPLE) {
    let bytes = slots;
    for (const item of items) bytes += estimateRetainedBytes(item);
    return bytes;
  }
  let sampled = 0;
  for (let i = 0; i < ARRAY_SAMPLE; i += 1) {
    sampled += estimateRetainedBytes(items[Math.floor((i * items.length) / ARRAY_SAMPLE)]);
  }
  return slots + Math.round((sampled * items.length) / ARRAY_SAMPLE);
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / POINTER) * POINTER;
}
