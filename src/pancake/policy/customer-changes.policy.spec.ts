import fc from 'fast-check';
import { GatewayError } from '../../common/errors/gateway-error.js';
import { daysInMonth } from '../upstream-time.js';
import {
  checkBirthday,
  checkName,
  CUSTOMER_NAME_MAX_LENGTH,
  validateCustomerChanges,
} from './customer-changes.policy.js';
import { badInputViolations } from '../../../test/support/violations.js';

const NOW = new Date('2026-06-15T12:00:00.000Z');
const opts = { defaultRegion: 'VN', now: NOW };

const rulesOf = (input: Record<string, unknown>) =>
  badInputViolations(() => validateCustomerChanges(input, opts)).map(
    (v) => `${v.field}: ${v.rule}`,
  );

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('validateCustomerChanges', () => {
  it('returns the normalized changes, and only the fields given', () => {
    expect(
      validateCustomerChanges(
        {
          name: '  Nguyễn Văn A ',
          phoneNumbers: ['090 123 4567', '+84901234567', '+1 415 555 2671'],
          gender: 'FEMALE',
          birthday: '1990-05-12',
        },
        opts,
      ),
    ).toEqual({
      name: 'Nguyễn Văn A',
      phoneNumbers: ['+84901234567', '+14155552671'],
      gender: 'female',
      birthday: '1990-05-12',
    });
    expect(validateCustomerChanges({ gender: 'unknown' }, opts)).toEqual({ gender: 'unknown' });
  });

  it('lets phoneNumbers clear the list', () => {
    expect(validateCustomerChanges({ phoneNumbers: [] }, opts)).toEqual({ phoneNumbers: [] });
  });

  it('treats undefined as not given', () => {
    expect(validateCustomerChanges({ name: 'Ann', gender: undefined }, opts)).toEqual({
      name: 'Ann',
    });
  });

  it('refuses fields upstream cannot change, naming each', () => {
    expect(rulesOf({ name: 'Ann', emails: ['a@b.c'], livesIn: 'Hanoi' })).toEqual([
      'emails: cannot be changed (upstream accepts only name, phoneNumbers, gender, birthday)',
      'livesIn: cannot be changed (upstream accepts only name, phoneNumbers, gender, birthday)',
    ]);
    expect(rulesOf({ phone_numbers: ['0901234567'] })).toEqual([
      'phone_numbers: is not a field; use phoneNumbers',
      'changes: at least one of name, phoneNumbers, gender, birthday',
    ]);
  });

  it('refuses empty changes', () => {
    expect(rulesOf({})).toEqual(['changes: at least one of name, phoneNumbers, gender, birthday']);
    expect(rulesOf({ name: undefined })).toHaveLength(1);
  });

  it('refuses a non-object', () => {
    expect(
      badInputViolations(() =>
        validateCustomerChanges([] as unknown as Record<string, unknown>, opts),
      ),
    ).toEqual([{ field: 'changes', rule: 'must be an object' }]);
  });

  it('refuses null for every field, saying so', () => {
    expect(rulesOf({ name: null, phoneNumbers: null, gender: null, birthday: null })).toEqual([
      'name: cannot be null',
      'phoneNumbers: cannot be null',
      'gender: cannot be null',
      'birthday: cannot be null',
    ]);
  });

  it('reports every violation at once, with the values', () => {
    const violations = badInputViolations(() =>
      validateCustomerChanges(
        {
          name: 'a\u0000b',
          phoneNumbers: ['0901234567', 'call me'],
          gender: 'other',
          birthday: '1990-02-30',
          emails: [],
        },
        opts,
      ),
    );
    expect(violations).toEqual([
      {
        field: 'name',
        rule: 'must not contain control characters or line breaks',
        value: 'a\u0000b',
      },
      {
        field: 'phoneNumbers[1]',
        rule: 'may contain only digits, spaces, dashes, dots, parentheses and a leading +',
        value: 'call me',
      },
      { field: 'gender', rule: 'must be one of male, female, unknown', value: 'other' },
      { field: 'birthday', rule: 'must be a real calendar date', value: '1990-02-30' },
      {
        field: 'emails',
        rule: 'cannot be changed (upstream accepts only name, phoneNumbers, gender, birthday)',
      },
    ]);
  });

  it('refuses phoneNumbers that are not a list, or too many', () => {
    expect(rulesOf({ phoneNumbers: '0901234567' })).toEqual([
      'phoneNumbers: must be a list of strings',
    ]);
    const many = Array.from({ length: 21 }, (_, i) => `09012345${pad(i)}`);
    expect(rulesOf({ phoneNumbers: many })).toEqual([
      'phoneNumbers: must hold at most 20 phone numbers (got 21)',
    ]);
  });

  it.each([
    [{ gender: 'Male' }, { gender: 'male' }],
    [{ gender: 'UNKNOWN' }, { gender: 'unknown' }],
  ])('accepts gender in any case: %j', (input, expected) => {
    expect(validateCustomerChanges(input, opts)).toEqual(expected);
  });

  it.each(['m', '', 'males', 1, true, ['male']])('refuses the gender %j', (gender) => {
    expect(rulesOf({ gender })).toEqual(['gender: must be one of male, female, unknown']);
  });
});

describe('birthday rule', () => {
  it.each([['1990-05-12'], ['2024-02-29'], ['2000-02-29'], ['1900-01-01'], ['2026-06-15']])(
    'accepts %s',
    (birthday) => {
      expect(checkBirthday(birthday, NOW)).toEqual({ value: birthday });
    },
  );

  it.each([
    ['1990-02-30', 'must be a real calendar date'],
    ['2023-02-29', 'must be a real calendar date'],
    ['1900-02-29', 'must be a real calendar date'],
    ['1990-04-31', 'must be a real calendar date'],
    ['1990-13-01', 'must be a real calendar date'],
    ['1998-00-00', 'must be a real calendar date'],
    ['1990/05/12', 'must be a date written YYYY-MM-DD'],
    ['1990-5-12', 'must be a date written YYYY-MM-DD'],
    ['12-05-1990', 'must be a date written YYYY-MM-DD'],
    ['1990-05-12T00:00:00', 'must be a date written YYYY-MM-DD'],
    [' 1990-05-12', 'must be a date written YYYY-MM-DD'],
    ['١٩٩٠-٠٥-١٢', 'must be a date written YYYY-MM-DD'],
    ['1899-12-31', 'must be in 1900 or later'],
    ['2026-06-16', 'must not be in the future'],
    ['2999-01-01', 'must not be in the future'],
    [19900512, 'must be a string'],
  ])('refuses %j: %s', (birthday, rule) => {
    expect(checkBirthday(birthday, NOW)).toEqual({ rule });
    expect(rulesOf({ birthday })).toEqual([`birthday: ${rule}`]);
  });

  it('uses the current time when no now is given', () => {
    expect(() =>
      validateCustomerChanges({ birthday: '2999-01-01' }, { defaultRegion: 'VN' }),
    ).toThrow(GatewayError);
  });

  it('accepts every real date from 1900 to today', () => {
    const date = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: NOW, noInvalidDate: true });
    fc.assert(
      fc.property(date, (d) => {
        const birthday = d.toISOString().slice(0, 10);
        expect(checkBirthday(birthday, NOW)).toEqual({ value: birthday });
      }),
    );
  });

  it('refuses every impossible day or month', () => {
    const impossible = fc
      .tuple(
        fc.integer({ min: 1900, max: 2025 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
      )
      .filter(([y, m, d]) => m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m));
    fc.assert(
      fc.property(impossible, ([y, m, d]) => {
        expect(checkBirthday(`${y}-${pad(m)}-${pad(d)}`, NOW)).toEqual({
          rule: 'must be a real calendar date',
        });
      }),
    );
  });

  it('refuses every day after today', () => {
    const future = fc.date({
      min: new Date('2026-06-16T00:00:00Z'),
      max: new Date('9999-12-31T00:00:00Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(future, (d) => {
        expect(checkBirthday(d.toISOString().slice(0, 10), NOW)).toEqual({
          rule: 'must not be in the future',
        });
      }),
    );
  });
});

describe('name rule', () => {
  it('trims and accepts any script and emoji', () => {
    expect(checkName('  Trần Thị B  ')).toEqual({ value: 'Trần Thị B' });
    expect(checkName('山田 太郎 👨‍👩‍👧')).toEqual({ value: '山田 太郎 👨‍👩‍👧' });
  });

  it(`counts code points: ${CUSTOMER_NAME_MAX_LENGTH} emoji fit, one more does not`, () => {
    expect(checkName('😀'.repeat(200))).toEqual({ value: '😀'.repeat(200) });
    expect(checkName('😀'.repeat(201))).toEqual({ rule: 'must be at most 200 characters' });
    expect(checkName(` ${'a'.repeat(200)} `)).toEqual({ value: 'a'.repeat(200) });
  });

  it.each([
    ['', 'must not be empty'],
    ['   \n ', 'must not be empty'],
    ['Ann\nSmith', 'must not contain control characters or line breaks'],
    ['Ann\tSmith', 'must not contain control characters or line breaks'],
    ['Ann\u2028Smith', 'must not contain control characters or line breaks'],
    ['Ann\u2029Smith', 'must not contain control characters or line breaks'],
    ['Ann\u0085Smith', 'must not contain control characters or line breaks'],
    ['Ann\u007f', 'must not contain control characters or line breaks'],
    ['Ann \udc00', 'must be well-formed Unicode text'],
    [42, 'must be a string'],
  ])('refuses %j: %s', (name, rule) => {
    expect(checkName(name)).toEqual({ rule });
  });

  it('leaves out an over-long value from the violation', () => {
    expect(
      badInputViolations(() => validateCustomerChanges({ name: 'a'.repeat(5000) }, opts)),
    ).toEqual([{ field: 'name', rule: 'must be at most 200 characters' }]);
  });

  it('answers a trimmed, 1..200 code point, one-line name or a rule', () => {
    const name = fc.oneof(
      fc.string({ maxLength: 250 }),
      fc.string({ unit: 'binary', maxLength: 250 }),
      fc.string({ unit: 'grapheme', maxLength: 220 }),
      fc.string({
        unit: fc.constantFrom('a', ' ', '\n', '\u2028', '\u0000', '😀'),
        maxLength: 210,
      }),
    );
    fc.assert(
      fc.property(name, (input) => {
        const result = checkName(input);
        if ('rule' in result) return;
        expect(result.value).toBe(input.trim());
        expect(result.value).not.toBe('');
        expect([...result.value].length).toBeLessThanOrEqual(CUSTOMER_NAME_MAX_LENGTH);
        expect(result.value).not.toMatch(/[\p{Cc}\u2028\u2029\p{Cs}]/u);
      }),
    );
  });

  it('accepts every trimmed printable name within the bound', () => {
    const printable = fc
      .string({ unit: 'grapheme', minLength: 1, maxLength: 60 })
      .map((s) => s.replace(/[\p{Cc}\u2028\u2029]/gu, '').trim())
      .filter((s) => s !== '' && [...s].length <= CUSTOMER_NAME_MAX_LENGTH);
    fc.assert(
      fc.property(printable, (name) => {
        expect(checkName(name)).toEqual({ value: name });
      }),
    );
  });
});
