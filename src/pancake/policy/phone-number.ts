// Phone numbers to E.164 before they reach Pancake, which stores whatever it is sent.
// The `max` metadata validates the digits themselves, not only the length.
import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import { GatewayError, type FieldViolation } from '../../common/errors/gateway-error.js';

/** Longest raw input looked at: E.164 has at most 15 digits, so 32 leaves room for formatting. */
export const PHONE_NUMBER_MAX_INPUT_LENGTH = 32;
/**
 * Most phone numbers a customer may hold through the gateway, so also the most one request may
 * give: bounds parsing work and the list upstream stores (and every later read carries).
 */
export const PHONE_NUMBERS_MAX_COUNT = 20;

// Digits with the usual separators and one leading `+` (also `(+84)`); letters, so extensions, are refused.
const PHONE_CHARACTERS = /^(?:\(?\+)?[0-9 \u00a0().-]+$/;
const SEPARATORS = /[ \u00a0().-]/g;

export type PhoneNumberCheck = { ok: true; e164: string } | { ok: false; rule: string };

/** Why `input` is not a phone number for `defaultRegion`, or its E.164 form. Never throws on input. */
export function checkPhoneNumber(input: unknown, defaultRegion: string): PhoneNumberCheck {
  const region = supportedRegion(defaultRegion);
  if (typeof input !== 'string') return { ok: false, rule: 'must be a string' };
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, rule: 'must not be empty' };
  if (trimmed.length > PHONE_NUMBER_MAX_INPUT_LENGTH) {
    return { ok: false, rule: `must be at most ${PHONE_NUMBER_MAX_INPUT_LENGTH} characters` };
  }
  if (!PHONE_CHARACTERS.test(trimmed)) {
    return {
      ok: false,
      rule: 'may contain only digits, spaces, dashes, dots, parentheses and a leading +',
    };
  }
  const parsed = parsePhoneNumberFromString(trimmed.replace(SEPARATORS, ''), region);
  if (!parsed?.isValid()) {
    return { ok: false, rule: `is not a valid phone number for region ${region}` };
  }
  return { ok: true, e164: parsed.number };
}

/** One number to E.164 (`090 123-4567`, VN -> `+84901234567`); GatewayError BAD_USER_INPUT otherwise. */
export function normalizePhoneNumber(
  input: string,
  defaultRegion: string,
  field = 'phoneNumber',
): string {
  const check = checkPhoneNumber(input, defaultRegion);
  if (check.ok) return check.e164;
  throw GatewayError.badInput([violation(field, check.rule, input)]);
}

/** The E.164 forms of `inputs`, de-duplicated (first seen wins), with every violation found. */
export function checkPhoneNumbers(
  inputs: readonly unknown[],
  defaultRegion: string,
  field = 'phoneNumbers',
): { numbers: string[]; violations: FieldViolation[] } {
  supportedRegion(defaultRegion);
  if (inputs.length > PHONE_NUMBERS_MAX_COUNT) {
    const rule = `must hold at most ${PHONE_NUMBERS_MAX_COUNT} phone numbers (got ${inputs.length})`;
    return { numbers: [], violations: [{ field, rule }] };
  }
  const numbers = new Set<string>();
  const violations: FieldViolation[] = [];
  inputs.forEach((input, i) => {
    const check = checkPhoneNumber(input, defaultRegion);
    if (check.ok) numbers.add(check.e164);
    else violations.push(violation(`${field}[${i}]`, check.rule, input));
  });
  return { numbers: [...numbers], violations };
}

/** Every number to E.164, de-duplicated after normalization; one GatewayError listing all invalid ones. */
export function normalizePhoneNumbers(
  inputs: readonly unknown[],
  defaultRegion: string,
  field = 'phoneNumbers',
): string[] {
  const { numbers, violations } = checkPhoneNumbers(inputs, defaultRegion, field);
  if (violations.length > 0) throw GatewayError.badInput(violations);
  return numbers;
}

/**
 * The list to write when numbers are added: current ones first (normalized where possible,
 * kept verbatim otherwise so no stored data is lost), then the validated `added` ones,
 * de-duplicated by normalized form. Throws GatewayError when an added number is invalid, or
 * when the new ones would take the list over PHONE_NUMBERS_MAX_COUNT (a list already longer,
 * from Pancake's dashboard, is kept as long as nothing is added to it).
 */
export function mergePhoneNumbers(
  current: readonly string[],
  added: readonly unknown[],
  defaultRegion: string,
  field = 'phoneNumbers',
): string[] {
  const addedNumbers = normalizePhoneNumbers(added, defaultRegion, field);
  const merged = new Set<string>();
  for (const existing of current) {
    const check = checkPhoneNumber(existing, defaultRegion);
    merged.add(check.ok ? check.e164 : existing);
  }
  const held = merged.size;
  for (const number of addedNumbers) merged.add(number);
  const fresh = merged.size - held;
  if (fresh > 0 && merged.size > PHONE_NUMBERS_MAX_COUNT) {
    const rule = `must not take the customer over ${PHONE_NUMBERS_MAX_COUNT} phone numbers (it has ${held}; ${fresh} new would make ${merged.size})`;
    throw GatewayError.badInput([{ field, rule }]);
  }
  return [...merged];
}

function supportedRegion(region: string): CountryCode {
  const upper = region.toUpperCase();
  // A bad region is a configuration bug (PHONE_DEFAULT_REGION is validated at boot), not bad input.
  if (!isSupportedCountry(upper)) throw new RangeError(`Unsupported phone region "${region}"`);
  return upper;
}

function violation(field: string, rule: string, value: unknown): FieldViolation {
  // Only short scalars are echoed back: anything bigger is not a phone number anyway.
  const short =
    typeof value === 'string' ? value.length <= PHONE_NUMBER_MAX_INPUT_LENGTH * 4 : true;
  const echo = short && (value === null || typeof value !== 'object');
  return echo ? { field, rule, value } : { field, rule };
}
