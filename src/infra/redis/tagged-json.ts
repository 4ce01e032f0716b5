// JSON that brings Dates back: a Date is written as {"$date": iso} and revived on read, so a
// stored CustomerRecord or NoteRecord comes back with real Dates without a per-type field list.

const DATE_TAG = '$date';

/** JSON.stringify, except that every Date (at any depth) is tagged so fromTaggedJson restores it. */
export function toTaggedJson(value: unknown): string {
  return JSON.stringify(
    value,
    function (this: Record<string, unknown>, key: string, replaced: unknown) {
      // `replaced` already went through Date#toJSON; the holder still has the Date itself.
      const raw = this[key];
      if (raw instanceof Date)
        return { [DATE_TAG]: Number.isNaN(raw.getTime()) ? null : raw.toISOString() };
      return replaced;
    },
  );
}

/** JSON.parse that turns every {"$date": iso} back into a Date (null iso -> Invalid Date). */
export function fromTaggedJson<T>(text: string): T {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      const tagged = (value as Record<string, unknown>)[DATE_TAG];
      if (
        keys.length === 1 &&
        keys[0] === DATE_TAG &&
        (typeof tagged === 'string' || tagged === null)
      ) {
        return new Date(tagged === null ? Number.NaN : tagged);
      }
    }
    return value;
  }) as T;
}
