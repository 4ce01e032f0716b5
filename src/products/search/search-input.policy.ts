// What a customer search may ask, checked once for both transports. Pure.
import { GatewayError, type FieldViolation } from '../../common/errors/gateway-error.js';
import { foldName } from '../../mirror/search-keys.js';
import { checkPhoneNumber } from '../../pancake/policy/phone-number.js';

export const SEARCH_DEFAULT_LIMIT = 20;
export const SEARCH_MAX_LIMIT = 100;
/** Shorter prefixes match too much of a page to be a search. */
export const SEARCH_NAME_MIN_LENGTH = 2;
export const SEARCH_NAME_MAX_LENGTH = 100;

export interface SearchInput {
  phone?: string | null;
  name?: string | null;
  limit?: number | null;
}

export interface SearchTerms {
  /** E.164, normalized as writes are. */
  phone: string | null;
  /** Folded as the mirror folds names. */
  namePrefix: string | null;
  limit: number;
}

/** The terms, or one 400 naming every field that breaks its rule. */
export function searchTermsOf(
  input: SearchInput,
  defaultRegion: string,
  limitField = 'limit',
): SearchTerms {
  const violations: FieldViolation[] = [];
  let phone: string | null = null;
  if (input.phone !== undefined && input.phone !== null) {
    const check = checkPhoneNumber(input.phone, defaultRegion);
    if (check.ok) phone = check.e164;
    else violations.push({ field: 'phone', rule: check.rule, value: input.phone });
  }
  let namePrefix: string | null = null;
  if (input.name !== undefined && input.name !== null) {
    namePrefix = foldName(input.name.slice(0, SEARCH_NAME_MAX_LENGTH + 1));
    const length = namePrefix === null ? 0 : [...namePrefix].length;
    if (length < SEARCH_NAME_MIN_LENGTH || length > SEARCH_NAME_MAX_LENGTH)
      violations.push({
        field: 'name',
        rule: `must be ${SEARCH_NAME_MIN_LENGTH} to ${SEARCH_NAME_MAX_LENGTH} characters`,
      });
  }
  if (input.phone == null && input.name == null)
    violations.push({ field: 'phone', rule: 'phone or name is required' });
  const limit = input.limit ?? SEARCH_DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_MAX_LIMIT)
    violations.push({
      field: limitField,
      rule: `must be an integer from 1 to ${SEARCH_MAX_LIMIT}`,
    });
  if (violations.length > 0) throw GatewayError.badInput(violations);
  return { phone, namePrefix, limit };
}
