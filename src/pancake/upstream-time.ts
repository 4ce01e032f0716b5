// The one place upstream time units are converted: naive UTC strings (customers),
// Unix milliseconds (notes) and Unix seconds (list since/until) <-> Date.

// Upstream sends `2021-08-26T06:29:56` or `2019-08-24T14:15:22.000000`; a space, a `Z`
// or an offset are tolerated in case that ever changes.
const NAIVE_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

// The ECMAScript Date range; anything beyond would be an Invalid Date.
const MAX_DATE_MS = 8.64e15;

/** A naive (timezone-less) upstream date-time string read as UTC; null when absent or unparseable. */
export function parseNaiveUtc(s: string | null | undefined): Date | null {
  if (typeof s !== 'string') return null;
  return parseCommonForm(s) ?? parseAnyForm(s);
}

// 0-9 as char codes.
const ZERO = 48;
const NINE = 57;

/** Digits of s from start (exclusive end) as a number, or -1 when any is not a digit. */
function digitsAt(s: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i += 1) {
    const code = s.charCodeAt(i);
    if (code < ZERO || code > NINE) return -1;
    value = value * 10 + (code - ZERO);
  }
  return value;
}

/**
 * The two forms upstream actually sends (`2021-08-26T06:29:56`, `2019-08-24T14:15:22.000000`)
 * read without a regex: a list of 100 customers parses 200 of these, and the regex's match
 * arrays were a tenth of what a cold read allocated. undefined: not this form, ask parseAnyForm.
 */
function parseCommonForm(s: string): Date | null | undefined {
  const length = s.length;
  if (length < 19 || length === 20 || length > 29) return undefined;
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':')
    return undefined;
  if (length > 19 && s[19] !== '.') return undefined;
  const year = digitsAt(s, 0, 4);
  const month = digitsAt(s, 5, 7);
  const day = digitsAt(s, 8, 10);
  const hour = digitsAt(s, 11, 13);
  const minute = digitsAt(s, 14, 16);
  const second = digitsAt(s, 17, 19);
  // Microseconds are truncated: Date keeps milliseconds (`.5` is 500 ms).
  const fractionEnd = Math.min(length, 23);
  const fraction = length > 19 ? digitsAt(s, 20, fractionEnd) : 0;
  const millis = fraction < 0 ? -1 : length > 19 ? fraction * 10 ** (23 - fractionEnd) : 0;
  // Years below 100 take the general path (Date.UTC would read them as 19xx).
  if (year < 100 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 || millis < 0)
    return undefined;
  if (length > 23 && digitsAt(s, 23, length) < 0) return undefined;
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  return new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
}

/** Every tolerated form (space separator, short times, offsets, stray whitespace). */
function parseAnyForm(s: string): Date | null {
  const match = NAIVE_DATE_TIME.exec(s.trim());
  if (!match) return null;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', fraction = '', offset] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(sec);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  const zoneMinutes = offsetMinutes(offset);
  if (hour > 23 || minute > 59 || second > 59 || zoneMinutes === null) return null;
  // Microseconds are truncated: Date keeps milliseconds.
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC, so years 0..99 are not read as 1900..1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  const time = date.getTime() - zoneMinutes * 60_000;
  return Math.abs(time) <= MAX_DATE_MS ? new Date(time) : null;
}

/** Unix milliseconds (note times) to a Date; null when absent or not a usable number. */
export function fromUnixMillis(n: number | null | undefined): Date | null {
  if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > MAX_DATE_MS) return null;
  return new Date(Math.trunc(n));
}

/** Unix seconds (list since/until) to a Date; null when absent or not a usable number. */
export function fromUnixSeconds(n: number | null | undefined): Date | null {
  if (typeof n !== 'number' || !Number.isFinite(n)) return null;
  return fromUnixMillis(n * 1000);
}

/** A Date to whole Unix seconds, floored (list since/until). */
export function toUnixSeconds(d: Date): number {
  const time = d.getTime();
  if (Number.isNaN(time)) throw new RangeError('toUnixSeconds: Invalid Date');
  return Math.floor(time / 1000);
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function offsetMinutes(offset: string | undefined): number | null {
  if (offset === undefined || offset === 'Z' || offset === 'z') return 0;
  const digits = offset.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) return null;
  return (offset.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}
