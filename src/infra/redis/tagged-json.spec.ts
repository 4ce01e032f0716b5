import fc from 'fast-check';
import { fromTaggedJson, toTaggedJson } from './tagged-json.js';

describe('tagged JSON', () => {
  it('brings Dates back at any depth, and leaves date-like strings alone', () => {
    const value = {
      at: new Date('2024-01-02T03:04:05.678Z'),
      list: [new Date(0), '2024-01-02T03:04:05.678Z', null],
      nested: { deeper: { when: new Date(86_400_000) } },
    };
    const back = fromTaggedJson<typeof value>(toTaggedJson(value));
    expect(back).toEqual(value);
    expect(back.list[1]).toBe('2024-01-02T03:04:05.678Z');
    expect(back.nested.deeper.when).toBeInstanceOf(Date);
  });

  it('round-trips any JSON value with Dates mixed in (property)', () => {
    const withDates = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.date({ noInvalidDate: true }),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(
          fc.string().filter((k) => k !== '__proto__'),
          tie('value'),
          { maxKeys: 4 },
        ),
      ),
    })).value;
    fc.assert(
      fc.property(withDates, (value) => {
        expect(fromTaggedJson(toTaggedJson(value))).toEqual(value);
      }),
    );
  });

  it('keeps an invalid Date invalid instead of throwing', () => {
    const back = fromTaggedJson<{ at: Date }>(toTaggedJson({ at: new Date(Number.NaN) }));
    expect(back.at).toBeInstanceOf(Date);
    expect(Number.isNaN(back.at.getTime())).toBe(true);
  });
});
