import fc from 'fast-check';
import { GraphQLError, Kind } from 'graphql';
import { DATE_TIME_RULE, DateTimeScalar, parseIsoDateTime } from './date-time.scalar.js';

describe('DateTime scalar', () => {
  it.each([
    ['2026-01-31T00:00:00Z', '2026-01-31T00:00:00.000Z'],
    ['2026-01-31T07:00:00+07:00', '2026-01-31T00:00:00.000Z'],
    ['2026-01-30T19:30:00-04:30', '2026-01-31T00:00:00.000Z'],
    ['2026-01-31T00:00Z', '2026-01-31T00:00:00.000Z'],
    ['2026-01-31T00:00:00.123456Z', '2026-01-31T00:00:00.123Z'],
    ['2024-02-29t12:00:00z', '2024-02-29T12:00:00.000Z'],
  ])('parses %s as %s', (input, iso) => {
    expect((DateTimeScalar.parseValue(input) as Date).toISOString()).toBe(iso);
  });

  it.each([
    '2026-01-31T00:00:00', // no offset: which zone?
    '2026-01-31',
    '2026-01-31 00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-01-31T24:00:00Z',
    '2026-01-31T00:60:00Z',
    '2026-01-31T00:00:00+24:00',
    '2026-01-31T00:00:00+0700',
    '1769817600000',
    '',
    'tomorrow',
  ])('refuses %j with the rule', (input) => {
    expect(() => DateTimeScalar.parseValue(input)).toThrow(DATE_TIME_RULE);
  });

  it('refuses non-strings (a number of ms is ambiguous in seconds or ms)', () => {
    expect(() => DateTimeScalar.parseValue(1769817600000)).toThrow(DATE_TIME_RULE);
    expect(() => DateTimeScalar.parseLiteral({ kind: Kind.INT, value: '1769817600000' })).toThrow(
      GraphQLError,
    );
  });

  it('parses string literals', () => {
    const date = DateTimeScalar.parseLiteral({ kind: Kind.STRING, value: '2026-01-31T00:00:00Z' });
    expect((date as Date).toISOString()).toBe('2026-01-31T00:00:00.000Z');
  });

  it('serializes a Date as ISO-8601 UTC and refuses an invalid one', () => {
    expect(DateTimeScalar.serialize(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)))).toBe(
      '2024-01-02T03:04:05.006Z',
    );
    expect(() => DateTimeScalar.serialize(new Date(Number.NaN))).toThrow(GraphQLError);
    expect(() => DateTimeScalar.serialize(42)).toThrow(GraphQLError);
  });

  it('round-trips every instant through its own output', () => {
    const instants = fc.date({
      min: new Date('1900-01-01T00:00:00Z'),
      max: new Date('2999-12-31T23:59:59Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(instants, (date) => {
        const text = DateTimeScalar.serialize(date) as string;
        expect(parseIsoDateTime(text)?.getTime()).toBe(date.getTime());
      }),
    );
  });
});
