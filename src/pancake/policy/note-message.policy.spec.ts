import fc from 'fast-check';
import { GatewayError } from '../../common/errors/gateway-error.js';
import { NOTE_MESSAGE_MAX_LENGTH, validateNoteMessage } from './note-message.policy.js';
import { badInputViolations } from '../../../test/support/violations.js';

describe('validateNoteMessage', () => {
  it('trims and keeps line feeds and tabs inside', () => {
    expect(validateNoteMessage('  Called back.\n\tWants a quote.  ')).toBe(
      'Called back.\n\tWants a quote.',
    );
    expect(validateNoteMessage('Khách hẹn gọi lại 🙏')).toBe('Khách hẹn gọi lại 🙏');
  });

  it('folds CRLF and CR into line feeds', () => {
    expect(validateNoteMessage('one\r\ntwo\rthree')).toBe('one\ntwo\nthree');
  });

  it.each([
    [42, 'must be a string'],
    [null, 'must be a string'],
    ['', 'must not be empty'],
    [' \n\t ', 'must not be empty'],
    ['bad\u0000byte', 'must not contain control characters other than line feed and tab'],
    ['bell\u0007', 'must not contain control characters other than line feed and tab'],
    ['esc\u001b[31m', 'must not contain control characters other than line feed and tab'],
    ['del\u007f', 'must not contain control characters other than line feed and tab'],
    ['c1\u0085', 'must not contain control characters other than line feed and tab'],
    ['half \ud800 surrogate', 'must be well-formed Unicode text'],
  ])('refuses %j: %s', (input, rule) => {
    const [violation] = badInputViolations(() => validateNoteMessage(input));
    expect(violation).toMatchObject({ field: 'message', rule });
  });

  it(`accepts ${NOTE_MESSAGE_MAX_LENGTH} characters, counting code points, and no more`, () => {
    expect(NOTE_MESSAGE_MAX_LENGTH).toBe(5000);
    const emoji = '😀'.repeat(NOTE_MESSAGE_MAX_LENGTH); // 10 000 UTF-16 units
    expect(validateNoteMessage(emoji)).toBe(emoji);
    expect(validateNoteMessage(` ${'a'.repeat(5000)} `)).toHaveLength(5000);
    expect(badInputViolations(() => validateNoteMessage('a'.repeat(5001)))).toEqual([
      { field: 'message', rule: 'must be at most 5000 characters', value: 'a'.repeat(5001) },
    ]);
    expect(badInputViolations(() => validateNoteMessage('a'.repeat(20_000)))).toEqual([
      { field: 'message', rule: 'must be at most 5000 characters' },
    ]);
  });

  it('names the field it is given', () => {
    expect(badInputViolations(() => validateNoteMessage('', 'note'))[0].field).toBe('note');
  });

  it('answers a trimmed, bounded, clean message or throws a GatewayError', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom('a', ' ', '\n', '\t', '\r', '\u0000', 'é', '😀') }),
    );
    fc.assert(
      fc.property(text, (input) => {
        let output: string;
        try {
          output = validateNoteMessage(input);
        } catch (error) {
          expect(error).toBeInstanceOf(GatewayError);
          return;
        }
        expect(output).toBe(output.trim());
        expect(output).not.toBe('');
        expect([...output].length).toBeLessThanOrEqual(NOTE_MESSAGE_MAX_LENGTH);
        expect(output).not.toMatch(/[^\P{Cc}\n\t]/u);
      }),
    );
  });
});
