import fc from 'fast-check';
import { GatewayError } from '../common/errors/gateway-error.js';
import {
  assertCustomerId,
  assertNoteId,
  assertPageId,
  assertPsid,
  isValidCustomerId,
  isValidNoteId,
  isValidPageId,
  isValidPsid,
  normalizeCustomerId,
} from './path-segments.js';
import { badInputViolations } from '../../test/support/violations.js';

const UUID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

describe('path segments', () => {
  it('accepts well-formed ids and returns them unchanged', () => {
    expect(assertPageId('107734064917766')).toBe('107734064917766');
    expect(assertPsid('4839274892374')).toBe('4839274892374');
    expect(assertCustomerId(UUID)).toBe(UUID);
    expect(assertCustomerId(UUID.toUpperCase())).toBe(UUID.toUpperCase());
    expect(assertCustomerId('00000000-0000-0000-0000-000000000000')).toBe(
      '00000000-0000-0000-0000-000000000000',
    );
    expect(assertNoteId('note_1-A')).toBe('note_1-A');
    expect(assertNoteId('a'.repeat(64))).toBe('a'.repeat(64));
  });

  it.each([
    ['pageId', () => assertPageId('12a'), 'must be 1 to 32 digits'],
    ['pageId', () => assertPageId(''), 'must be 1 to 32 digits'],
    ['pageId', () => assertPageId('1'.repeat(33)), 'must be 1 to 32 digits'],
    ['psid', () => assertPsid('../1'), 'must be 1 to 32 digits'],
    ['id', () => assertCustomerId('not-a-uuid'), 'must be a UUID'],
    ['id', () => assertCustomerId(`${UUID}/notes`), 'must be a UUID'],
    ['customerId', () => assertCustomerId('x', 'customerId'), 'must be a UUID'],
    ['noteId', () => assertNoteId('a/b'), 'must be 1 to 64 letters, digits, underscores or dashes'],
    ['noteId', () => assertNoteId('..'), 'must be 1 to 64 letters, digits, underscores or dashes'],
    [
      'noteId',
      () => assertNoteId('a'.repeat(65)),
      'must be 1 to 64 letters, digits, underscores or dashes',
    ],
    ['noteId', () => assertNoteId('%2F'), 'must be 1 to 64 letters, digits, underscores or dashes'],
  ])('refuses a bad %s', (field, run, rule) => {
    const [violation] = badInputViolations(run);
    expect(violation).toMatchObject({ field, rule });
  });

  it('names the value when short and leaves out long ones', () => {
    expect(badInputViolations(() => assertPsid('abc'))).toEqual([
      { field: 'psid', rule: 'must be 1 to 32 digits', value: 'abc' },
    ]);
    expect(badInputViolations(() => assertPsid('x'.repeat(1000)))).toEqual([
      { field: 'psid', rule: 'must be 1 to 32 digits' },
    ]);
  });

  it('refuses non-strings', () => {
    expect(badInputViolations(() => assertPageId(123))).toEqual([
      { field: 'pageId', rule: 'must be 1 to 32 digits' },
    ]);
    expect(isValidNoteId(null)).toBe(false);
  });

  it('has boolean variants', () => {
    expect(isValidPageId('1')).toBe(true);
    expect(isValidPsid(' 1')).toBe(false);
    expect(isValidCustomerId(UUID)).toBe(true);
    expect(isValidCustomerId(`${UUID}\n`)).toBe(false);
    expect(isValidNoteId('abc')).toBe(true);
  });

  it('lower-cases a customer id (UUIDs compare case-insensitively), leaves anything else as given', () => {
    expect(normalizeCustomerId(UUID.toUpperCase())).toBe(UUID);
    expect(normalizeCustomerId(UUID)).toBe(UUID);
    for (const other of ['NOT-A-UUID', `${UUID.toUpperCase()}/x`, 42, null, undefined]) {
      expect(normalizeCustomerId(other)).toBe(other);
    }
  });

  it('never lets an input change the path', () => {
    const nasty = fc.constantFrom('/', '?', '#', '..', '%2F', '%2e', '\\', '\n', ' ', '\u0000');
    const input = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.uuid(),
      fc.stringMatching(/^[0-9]{1,40}$/),
      fc
        .tuple(fc.stringMatching(/^[A-Za-z0-9_-]{0,10}$/), nasty, fc.string())
        .map((p) => p.join('')),
    );
    const asserts = [assertPageId, assertPsid, assertCustomerId, assertNoteId];
    fc.assert(
      fc.property(input, fc.constantFrom(...asserts), (value, assert) => {
        let segment: string;
        try {
          segment = assert(value);
        } catch (error) {
          expect(error).toBeInstanceOf(GatewayError);
          return;
        }
        expect(segment).toBe(value);
        for (const bad of ['/', '?', '#', '..', '%', '\\']) expect(segment).not.toContain(bad);
      }),
    );
  });
});
