// What the mirror stores beside each customer so searches use an index: the name folded
// (no case, no accents) and the phone numbers in E.164. Pure; the search folds its input
// with the same functions, so a query and a row always agree.
import { checkPhoneNumber } from '../pancake/policy/phone-number.js';

// Vietnamese đ/Đ is a letter of its own, not d with a mark: NFD leaves it whole.
const D_WITH_STROKE = /[đĐ]/g;
const MARKS = /\p{M}+/gu;
const SPACES = /\s+/g;

/** `Nguyễn  Văn A` -> `nguyen van a`; null for no name (or only spaces). */
export function foldName(name: string | null): string | null {
  if (name === null) return null;
  const folded = name
    .normalize('NFD')
    .replace(MARKS, '')
    .replace(D_WITH_STROKE, 'd')
    .toLowerCase()
    .replace(SPACES, ' ')
    .trim();
  return folded === '' ? null : folded;
}

/**
 * The numbers that parse, in E.164, in their stored order (the first is the primary) without
 * repeats. Upstream stores what it was sent, so `090 123-4567` and `+84901234567` are one.
 */
export function phonesE164Of(phones: readonly string[], defaultRegion: string): string[] {
  const numbers = new Set<string>();
  for (const phone of phones) {
    const check = checkPhoneNumber(phone, defaultRegion);
    if (check.ok) numbers.add(check.e164);
  }
  return [...numbers];
}
