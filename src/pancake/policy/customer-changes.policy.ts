// What a caller may change on a customer: upstream PUT accepts only four fields,
// stores whatever it gets, and answers 400 without saying why, so all is checked here.
import { GatewayError, type FieldViolation } from '../../common/errors/gateway-error.js';
import type { CustomerChanges, Gender } from '../pancake.model.js';
import { daysInMonth } from '../upstream-time.js';
import { checkPhoneNumbers } from './phone-number.js';

export const CHANGEABLE_FIELDS = ['name', 'phoneNumbers', 'gender', 'birthday'] as const;
type ChangeableField = (typeof CHANGEABLE_FIELDS)[number];

/** Most characters (Unicode code points) in a name, after trimming. */
export const CUSTOMER_NAME_MAX_LENGTH = 200;
/** Earliest birthday year accepted: older ones are typos. */
export const BIRTHDAY_MIN_YEAR = 1900;

const GENDERS: readonly Gender[] = ['male', 'female', 'unknown'];
const BIRTHDAY = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/;
// Unicode Cc, plus the line and paragraph separators: a name is one line of text.
const NAME_FORBIDDEN = /[\p{Cc}\u2028\u2029]/u;
const LONE_SURROGATE = /\p{Cs}/u;
// Values longer than this are not echoed back in violations.
const MAX_ECHOED_LENGTH = 1000;

export interface CustomerChangesOptions {
  /** Region for phone numbers written without a country code (PHONE_DEFAULT_REGION). */
  defaultRegion: string;
  /** "Today" for the birthday rule; defaults to the current time. */
  now?: Date;
}

type FieldResult<T> = { value: T } | { rule: string };

/**
 * The validated, normalized changes (only the given fields), or one GatewayError
 * BAD_USER_INPUT listing every violation (`details.violations`).
 */
export function validateCustomerChanges(
  input: Record<string, unknown>,
  opts: CustomerChangesOptions,
): CustomerChanges {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw GatewayError.badInput([{ field: 'changes', rule: 'must be an object' }]);
  }
  const changes: CustomerChanges = {};
  const violations: FieldViolation[] = [];
  let given = 0;
  for (const [key, value] of Object.entries(input)) {
    // An omitted optional field arrives as undefined from some DTO layers: it is no change.
    if (value === undefined) continue;
    if (!isChangeable(key)) {
      violations.push({ field: key, rule: unknownFieldRule(key) });
      continue;
    }
    given++;
    if (value === null) {
      violations.push({ field: key, rule: 'cannot be null' });
      continue;
    }
    if (key === 'phoneNumbers') {
      if (!Array.isArray(value)) {
        violations.push(withValue({ field: key, rule: 'must be a list of strings' }, value));
        continue;
      }
      const checked = checkPhoneNumbers(value, opts.defaultRegion, key);
      violations.push(...checked.violations);
      changes.phoneNumbers = checked.numbers;
      continue;
    }
    const result =
      key === 'name'
        ? checkName(value)
        : key === 'gender'
          ? checkGender(value)
          : checkBirthday(value, opts.now ?? new Date());
    if ('rule' in result) violations.push(withValue({ field: key, rule: result.rule }, value));
    else Object.assign(changes, { [key]: result.value });
  }
  if (given === 0) {
    violations.push({ field: 'changes', rule: `at least one of ${CHANGEABLE_FIELDS.join(', ')}` });
  }
  if (violations.length > 0) throw GatewayError.badInput(violations);
  return changes;
}

/** The trimmed name: 1..200 code points, one line, no control characters. */
export function checkName(value: unknown): FieldResult<string> {
  if (typeof value !== 'string') return { rule: 'must be a string' };
  const name = value.trim();
  if (name === '') return { rule: 'must not be empty' };
  if ([...name].length > CUSTOMER_NAME_MAX_LENGTH) {
    return { rule: `must be at most ${CUSTOMER_NAME_MAX_LENGTH} characters` };
  }
  if (NAME_FORBIDDEN.test(name))
    return { rule: 'must not contain control characters or line breaks' };
  if (LONE_SURROGATE.test(name)) return { rule: 'must be well-formed Unicode text' };
  return { value: name };
}

/** male, female or unknown, in any case; output lower case as upstream wants. */
export function checkGender(value: unknown): FieldResult<Gender> {
  const gender = typeof value === 'string' ? value.toLowerCase() : undefined;
  const known = GENDERS.find((g) => g === gender);
  return known ? { value: known } : { rule: `must be one of ${GENDERS.join(', ')}` };
}

/**
 * A real calendar date `YYYY-MM-DD`, year >= 1900, not after today's UTC date at `now`
 * (upstream's `00` parts for unknown day or month are read-only).
 */
export function checkBirthday(value: unknown, now: Date): FieldResult<string> {
  if (typeof value !== 'string') return { rule: 'must be a string' };
  const match = BIRTHDAY.exec(value);
  if (!match) return { rule: 'must be a date written YYYY-MM-DD' };
  const [year, month, day] = match.slice(1).map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { rule: 'must be a real calendar date' };
  }
  if (year < BIRTHDAY_MIN_YEAR) return { rule: `must be in ${BIRTHDAY_MIN_YEAR} or later` };
  // Same-width YYYY-MM-DD strings compare like the dates they name.
  if (value > now.toISOString().slice(0, 10)) return { rule: 'must not be in the future' };
  return { value };
}

function isChangeable(key: string): key is ChangeableField {
  return (CHANGEABLE_FIELDS as readonly string[]).includes(key);
}

function unknownFieldRule(key: string): string {
  const camel = key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  if (camel !== key && isChangeable(camel)) return `is not a field; use ${camel}`;
  return `cannot be changed (upstream accepts only ${CHANGEABLE_FIELDS.join(', ')})`;
}

function withValue(violation: FieldViolation, value: unknown): FieldViolation {
  const echo =
    typeof value === 'string'
      ? value.length <= MAX_ECHOED_LENGTH
      : value === null || typeof value !== 'object';
  return echo ? { ...violation, value } : violation;
}
