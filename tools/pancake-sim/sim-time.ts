// Upstream time formats: customers carry naive UTC strings, notes carry Unix milliseconds.

// Module-level aliases: global lookups are slow inside vm contexts (jest), and these run 100,000s of times.
const { floor } = Math;
const text = String;

/** Seeded customers are inserted between these instants (UTC). */
export const SEED_START_MS = Date.UTC(2024, 0, 1);
export const SEED_END_MS = Date.UTC(2026, 5, 30, 23, 59, 59);

const DAY_MS = 86_400_000;
const PAD2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));

/**
 * The two observed forms: `2021-08-26T06:29:56` (whole seconds) or
 * `2019-08-24T14:15:22.123000` (six fraction digits; milliseconds padded to microseconds).
 * Hand-rolled (no Date) because generating 100,000 customers formats 200,000 of these.
 */
export function formatNaiveUtc(ms: number, fractional: boolean): string {
  const days = floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const hours = floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = floor(rest / 60_000);
  rest -= minutes * 60_000;
  const secs = floor(rest / 1000);
  const millis = rest - secs * 1000;
  // Civil date from days since 1970-01-01 (H. Hinnant's days_from_civil, inverted).
  const z = days + 719_468;
  const era = floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = floor((doe - floor(doe / 1460) + floor(doe / 36_524) - floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + floor(yoe / 4) - floor(yoe / 100));
  const mp = floor((5 * doy + 2) / 153);
  const day = doy - floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  if (year < 1000 || year > 9999) return isoFallback(ms, fractional);
  const whole = `${year}-${PAD2[month]}-${PAD2[day]}T${PAD2[hours]}:${PAD2[minutes]}:${PAD2[secs]}`;
  return fractional ? `${whole}.${text(millis).padStart(3, '0')}000` : whole;
}

function isoFallback(ms: number, fractional: boolean): string {
  const iso = new Date(ms).toISOString();
  const at = iso.indexOf('.');
  return fractional ? `${iso.slice(0, at + 4)}000` : iso.slice(0, at);
}

/** What a customer timestamp keeps: whole seconds in the short form, so the string is the truth. */
export function storedMs(ms: number, fractional: boolean): number {
  return fractional ? ms : floor(ms / 1000) * 1000;
}

/** Unix seconds of a stored ms timestamp (the unit of list since/until). */
export function toSeconds(ms: number): number {
  return floor(ms / 1000);
}
