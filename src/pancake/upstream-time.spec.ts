import fc from 'fast-check';
import {
  daysInMonth,
  fromUnixMillis,
  fromUnixSeconds,
  parseNaiveUtc,
  toUnixSeconds,
} from './upstream-time.js';

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

// Dates the upstream can plausibly send, at millisecond precision.
const upstreamDate = fc.date({
  min: new Date('1970-01-01T00:00:00.000Z'),
  max: new Date('2999-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});

describe('parseNaiveUtc', () => {
  it.each([
    ['2021-08-26T06:29:56', '2021-08-26T06:29:56.000Z'],
    ['2019-08-24T14:15:22.000000', '2019-08-24T14:15:22.000Z'],
    ['2019-08-24T14:15:22.123456', '2019-08-24T14:15:22.123Z'],
    ['2019-08-24T14:15:22.9', '2019-08-24T14:15:22.900Z'],
    ['2019-08-24 14:15:22', '2019-08-24T14:15:22.000Z'],
    ['2019-08-24T14:15:22Z', '2019-08-24T14:15:22.000Z'],
    ['2019-08-24T14:15:22.5+07:00', '2019-08-24T07:15:22.500Z'],
    ['2019-08-24T14:15:22-0130', '2019-08-24T15:45:22.000Z'],
    ['2019-08-24T14:15', '2019-08-24T14:15:00.000Z'],
    ['2019-08-24', '2019-08-24T00:00:00.000Z'],
    ['  2020-02-29T23:59:59  ', '2020-02-29T23:59:59.000Z'],
    ['0050-01-01T00:00:00', '0050-01-01T00:00:00.000Z'],
  ])('reads %j as UTC', (input, expected) => {
    expect(iso(parseNaiveUtc(input))).toBe(expected);
  });

  it.each([
    null,
    undefined,
    '',
    'yesterday',
    '2021-13-01T00:00:00',
    '2021-02-29T00:00:00',
    '2021-04-31T00:00:00',
    '2021-08-26T24:00:00',
    '2021-08-26T06:60:00',
    '2021-08-26T06:29:60',
    '2021-08-26T06:29:56+25:00',
    '2021-8-26T06:29:56',
    '2021-08-26T06:29:56 UTC',
    '1629959396',
  ])('answers null for %j', (input) => {
    expect(parseNaiveUtc(input)).toBeNull();
  });

  it('answers null for a non-string that drifted in', () => {
    expect(parseNaiveUtc(1629959396 as unknown as string)).toBeNull();
  });

  it('round-trips every naive rendering of a date (plain, microseconds, space)', () => {
    fc.assert(
      fc.property(upstreamDate, (date) => {
        const naive = date.toISOString().slice(0, 23); // 2021-08-26T06:29:56.123
        expect(parseNaiveUtc(naive)?.getTime()).toBe(date.getTime());
        expect(parseNaiveUtc(`${naive}456`)?.getTime()).toBe(date.getTime());
        expect(parseNaiveUtc(naive.replace('T', ' '))?.getTime()).toBe(date.getTime());
        const wholeSeconds = naive.slice(0, 19);
        expect(parseNaiveUtc(wholeSeconds)?.getTime()).toBe(
          Math.floor(date.getTime() / 1000) * 1000,
        );
      }),
    );
  });

  it('reads the forms upstream sends exactly as the general parser does', () => {
    const digits = (n: number) =>
      fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: n, maxLength: n });
    const commonForm = fc
      .tuple(
        digits(4),
        digits(2),
        digits(2),
        digits(2),
        digits(2),
        digits(2),
        fc.option(
          digits(1)
            .chain(() => fc.integer({ min: 1, max: 9 }))
            .chain((n) => digits(n)),
        ),
      )
      .map(
        ([y, mo, d, h, mi, s, fraction]) =>
          `${y}-${mo}-${d}T${h}:${mi}:${s}${fraction === null ? '' : `.${fraction}`}`,
      );
    fc.assert(
      fc.property(commonForm, (s) => {
        // A trailing Z sends the same instant through the general (regex) path.
        expect(parseNaiveUtc(s)?.getTime() ?? null).toBe(parseNaiveUtc(`${s}Z`)?.getTime() ?? null);
      }),
      { numRuns: 2000 },
    );
    expect(parseNaiveUtc('2019-08-24T14:15:22.5')?.toISOString()).toBe('2019-08-24T14:15:22.500Z');
    expect(parseNaiveUtc('2019-08-24T14:15:22.000000')?.toISOString()).toBe(
      '2019-08-24T14:15:22.000Z',
    );
    expect(parseNaiveUtc('0099-08-24T14:15:22')?.getUTCFullYear()).toBe(99);
    expect(parseNaiveUtc('2021-02-29T00:00:00')).toBeNull();
    expect(parseNaiveUtc('2021-08-26T24:00:00')).toBeNull();
    expect(parseNaiveUtc('2021-08-26T06:29:56.')).toBeNull();
  });

  it('never answers an Invalid Date', () => {
    const dateLike = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 0, max: 99 }),
      )
      .map(([y, mo, d, h]) => {
        const pad = (n: number, w = 2) => String(n).padStart(w, '0');
        return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:00:00`;
      });
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), dateLike), (s) => {
        const parsed = parseNaiveUtc(s);
        expect(parsed === null || !Number.isNaN(parsed.getTime())).toBe(true);
      }),
    );
  });
});

describe('unix times', () => {
  it('reads note times as milliseconds', () => {
    expect(iso(fromUnixMillis(1629959396123))).toBe('2021-08-26T06:29:56.123Z');
    expect(iso(fromUnixMillis(0))).toBe('1970-01-01T00:00:00.000Z');
  });

  it.each([null, undefined, Number.NaN, Number.POSITIVE_INFINITY, 9e15])(
    'answers null for the unusable millisecond value %p',
    (n) => {
      expect(fromUnixMillis(n)).toBeNull();
    },
  );

  it('converts seconds both ways, flooring sub-second parts', () => {
    expect(toUnixSeconds(new Date('2021-08-26T06:29:56.999Z'))).toBe(1629959396);
    expect(toUnixSeconds(new Date('1969-12-31T23:59:59.500Z'))).toBe(-1);
    expect(iso(fromUnixSeconds(1629959396))).toBe('2021-08-26T06:29:56.000Z');
    expect(fromUnixSeconds(null)).toBeNull();
    expect(() => toUnixSeconds(new Date('nope'))).toThrow(RangeError);
  });

  it('round-trips whole seconds and milliseconds', () => {
    fc.assert(
      fc.property(upstreamDate, (date) => {
        expect(fromUnixMillis(date.getTime())?.getTime()).toBe(date.getTime());
        const seconds = toUnixSeconds(date);
        expect(seconds).toBe(Math.floor(date.getTime() / 1000));
        expect(toUnixSeconds(fromUnixSeconds(seconds) as Date)).toBe(seconds);
      }),
    );
  });
});

describe('daysInMonth', () => {
  it('knows leap years', () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(1900, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2023, 4)).toBe(30);
    expect(daysInMonth(2023, 12)).toBe(31);
  });
});
