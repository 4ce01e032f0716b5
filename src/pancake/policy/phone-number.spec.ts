import fc from 'fast-check';
import { GatewayError } from '../../common/errors/gateway-error.js';
import {
  checkPhoneNumber,
  mergePhoneNumbers,
  normalizePhoneNumber,
  normalizePhoneNumbers,
  PHONE_NUMBERS_MAX_COUNT,
} from './phone-number.js';
import { badInputViolations } from '../../../test/support/violations.js';

const E164 = /^\+[1-9]\d{6,14}$/;

// Vietnamese mobile numbers, written the many ways people write them.
const VN_MOBILE_PREFIXES = ['90', '91', '93', '94', '96', '97', '98', '32', '35', '70', '77', '86'];
const vnMobile = fc
  .tuple(fc.constantFrom(...VN_MOBILE_PREFIXES), fc.stringMatching(/^[0-9]{7}$/))
  .map(([prefix, rest]) => ({ national: `0${prefix}${rest}`, e164: `+84${prefix}${rest}` }));
const separator = fc.constantFrom('', ' ', '-', '.', ' - ');
const writtenVnMobile = fc
  .tuple(vnMobile, separator, separator, fc.constantFrom('0', '+84', '+84 ', '(+84) ', '0084'))
  .map(([n, s1, s2, lead]) => {
    const digits = n.national.slice(1);
    const written = `${lead}${digits.slice(0, 2)}${s1}${digits.slice(2, 5)}${s2}${digits.slice(5)}`;
    return { written, e164: n.e164 };
  });
const otherCountries = fc.constantFrom(
  '+1 415 555 2671',
  '+44 20 7183 8750',
  '+33 1 23 45 67 89',
  '+86 138 0013 8000',
  '+65 9123 4567',
  '+61 412 345 678',
);

describe('normalizePhoneNumber', () => {
  it.each([
    ['090 123-4567', '+84901234567'],
    ['0901234567', '+84901234567'],
    ['(090) 123.4567', '+84901234567'],
    ['+84 90 123 4567', '+84901234567'],
    ['(+84) 90 123 4567', '+84901234567'],
    ['0084 90 123 4567', '+84901234567'],
    ['  090 123 4567  ', '+84901234567'],
    ['+1 415 555 2671', '+14155552671'],
    ['+1 (415) 555-2671', '+14155552671'],
  ])('writes %j as %s', (input, expected) => {
    expect(normalizePhoneNumber(input, 'VN')).toBe(expected);
  });

  it('reads numbers without a country code in the default region', () => {
    expect(normalizePhoneNumber('(415) 555-2671', 'US')).toBe('+14155552671');
    expect(normalizePhoneNumber('0901234567', 'vn')).toBe('+84901234567');
  });

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['abc', 'may contain only digits, spaces, dashes, dots, parentheses and a leading +'],
    [
      '0901234567 ext 12',
      'may contain only digits, spaces, dashes, dots, parentheses and a leading +',
    ],
    ['0901234567x1', 'may contain only digits, spaces, dashes, dots, parentheses and a leading +'],
    ['090+1234567', 'may contain only digits, spaces, dashes, dots, parentheses and a leading +'],
    ['1'.repeat(33), 'must be at most 32 characters'],
    ['123', 'is not a valid phone number for region VN'],
    ['0101234567', 'is not a valid phone number for region VN'],
    ['+1 000 000 0000', 'is not a valid phone number for region VN'],
  ])('refuses %j: %s', (input, rule) => {
    expect(badInputViolations(() => normalizePhoneNumber(input, 'VN'))).toEqual([
      { field: 'phoneNumber', rule, value: input },
    ]);
  });

  it('names the field it is given and leaves out long values', () => {
    const [violation] = badInputViolations(() =>
      normalizePhoneNumber('9'.repeat(500), 'VN', 'phone'),
    );
    expect(violation).toEqual({ field: 'phone', rule: 'must be at most 32 characters' });
  });

  it('treats an unsupported region as a configuration bug, not bad input', () => {
    expect(() => normalizePhoneNumber('0901234567', 'XX')).toThrow(RangeError);
  });

  it('normalizes any written form of a valid number to its E.164 form', () => {
    fc.assert(
      fc.property(writtenVnMobile, ({ written, e164 }) => {
        expect(normalizePhoneNumber(written, 'VN')).toBe(e164);
      }),
    );
  });

  it('is idempotent: an E.164 output normalizes to itself, whatever the region', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          writtenVnMobile.map((w) => w.written),
          otherCountries,
        ),
        fc.constantFrom('VN', 'US', 'GB', 'FR'),
        (written, region) => {
          const once = normalizePhoneNumber(written, 'VN');
          expect(normalizePhoneNumber(once, region)).toBe(once);
        },
      ),
    );
  });

  it('answers E.164 or throws a GatewayError for arbitrary strings', () => {
    const phoneish = fc.stringMatching(/^\+?[0-9 ().-]{0,20}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), phoneish), (input) => {
        let output: string;
        try {
          output = normalizePhoneNumber(input, 'VN');
        } catch (error) {
          expect(error).toBeInstanceOf(GatewayError);
          return;
        }
        expect(output).toMatch(E164);
      }),
    );
  });
});

describe('normalizePhoneNumbers', () => {
  it('normalizes, then de-duplicates keeping the first-seen order', () => {
    expect(
      normalizePhoneNumbers(
        ['+1 415 555 2671', '090 123 4567', '0901234567', '+84901234567', '+1 (415) 555-2671'],
        'VN',
      ),
    ).toEqual(['+14155552671', '+84901234567']);
    expect(normalizePhoneNumbers([], 'VN')).toEqual([]);
  });

  it('lists every invalid value in one error, with its index', () => {
    expect(
      badInputViolations(() => normalizePhoneNumbers(['0901234567', 'abc', '123', 42], 'VN')),
    ).toEqual([
      {
        field: 'phoneNumbers[1]',
        rule: 'may contain only digits, spaces, dashes, dots, parentheses and a leading +',
        value: 'abc',
      },
      { field: 'phoneNumbers[2]', rule: 'is not a valid phone number for region VN', value: '123' },
      { field: 'phoneNumbers[3]', rule: 'must be a string', value: 42 },
    ]);
  });

  it(`refuses more than ${PHONE_NUMBERS_MAX_COUNT} numbers`, () => {
    const many = Array.from({ length: 21 }, (_, i) => `09012345${String(i).padStart(2, '0')}`);
    expect(badInputViolations(() => normalizePhoneNumbers(many, 'VN'))).toEqual([
      { field: 'phoneNumbers', rule: 'must hold at most 20 phone numbers (got 21)' },
    ]);
    expect(normalizePhoneNumbers(many.slice(0, 20), 'VN')).toHaveLength(20);
  });

  it('never grows the list, never repeats, keeps first-seen order', () => {
    const entry = fc.oneof(
      writtenVnMobile.map((w) => w.written),
      otherCountries,
    );
    fc.assert(
      fc.property(fc.array(entry, { maxLength: PHONE_NUMBERS_MAX_COUNT }), (inputs) => {
        const output = normalizePhoneNumbers(inputs, 'VN');
        expect(output.length).toBeLessThanOrEqual(inputs.length);
        expect(new Set(output).size).toBe(output.length);
        const firstSeen = [...new Set(inputs.map((i) => normalizePhoneNumber(i, 'VN')))];
        expect(output).toEqual(firstSeen);
        for (const number of output) expect(number).toMatch(E164);
      }),
    );
  });
});

describe('mergePhoneNumbers', () => {
  it('keeps current numbers first, normalized, and appends new ones once', () => {
    expect(
      mergePhoneNumbers(['0901234567', '+14155552671'], ['090 123 4567', '+84 91 234 5678'], 'VN'),
    ).toEqual(['+84901234567', '+14155552671', '+84912345678']);
  });

  it('keeps an unparseable current value verbatim rather than dropping it', () => {
    expect(mergePhoneNumbers(['call me maybe', '123'], ['0901234567'], 'VN')).toEqual([
      'call me maybe',
      '123',
      '+84901234567',
    ]);
  });

  it('de-duplicates current values among themselves too', () => {
    expect(mergePhoneNumbers(['0901234567', '+84 90 123 4567'], [], 'VN')).toEqual([
      '+84901234567',
    ]);
  });

  it('refuses invalid added numbers with the field given', () => {
    expect(badInputViolations(() => mergePhoneNumbers([], ['0901234567', 'nope'], 'VN'))).toEqual([
      {
        field: 'phoneNumbers[1]',
        rule: 'may contain only digits, spaces, dashes, dots, parentheses and a leading +',
        value: 'nope',
      },
    ]);
  });

  const numbers = (count: number, from = 0) =>
    Array.from({ length: count }, (_, i) => `+849012345${String(from + i).padStart(2, '0')}`);

  it(`refuses to take a customer over ${PHONE_NUMBERS_MAX_COUNT} numbers, naming the field and the rule`, () => {
    expect(mergePhoneNumbers(numbers(18), numbers(2, 18), 'VN')).toHaveLength(20);
    expect(badInputViolations(() => mergePhoneNumbers(numbers(19), numbers(2, 19), 'VN'))).toEqual([
      {
        field: 'phoneNumbers',
        rule: 'must not take the customer over 20 phone numbers (it has 19; 2 new would make 21)',
      },
    ]);
  });

  it('counts only new numbers: re-adding known ones to a full (or fuller) list is no change', () => {
    expect(mergePhoneNumbers(numbers(20), numbers(3), 'VN')).toEqual(numbers(20));
    // Over the cap already (a dashboard edit): nothing new is fine, anything new is not.
    expect(mergePhoneNumbers(numbers(25), numbers(1), 'VN')).toHaveLength(25);
    expect(badInputViolations(() => mergePhoneNumbers(numbers(25), numbers(1, 30), 'VN'))).toEqual([
      {
        field: 'phoneNumbers',
        rule: 'must not take the customer over 20 phone numbers (it has 25; 1 new would make 26)',
      },
    ]);
  });

  it('never loses a current or added number', () => {
    const entry = fc.oneof(
      writtenVnMobile.map((w) => w.written),
      otherCountries,
    );
    const current = fc.array(fc.oneof(entry, fc.string()), { maxLength: 10 });
    fc.assert(
      fc.property(current, fc.array(entry, { maxLength: 10 }), (existing, added) => {
        const merged = mergePhoneNumbers(existing, added, 'VN');
        expect(new Set(merged).size).toBe(merged.length);
        for (const value of [...existing, ...added]) {
          const check = checkPhoneNumber(value, 'VN');
          expect(merged).toContain(check.ok ? check.e164 : value);
        }
      }),
    );
  });
});
