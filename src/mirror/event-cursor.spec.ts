import { decodeEventCursor, encodeEventCursor } from './event-cursor.js';

describe('event cursors', () => {
  it('round-trip on their page', () => {
    expect(decodeEventCursor('111', encodeEventCursor('111', 42))).toBe(42);
  });

  it('refuse a malformed cursor and one of another page, naming the field', () => {
    expect(() => decodeEventCursor('111', 'not a cursor')).toThrow(
      'after: must be a cursor this API returned',
    );
    expect(() => decodeEventCursor('111', Buffer.from('e1:111:x').toString('base64url'))).toThrow(
      'must be a cursor this API returned',
    );
    expect(() => decodeEventCursor('111', encodeEventCursor('222', 1), 'Last-Event-ID')).toThrow(
      'Last-Event-ID: is a cursor of another page',
    );
  });
});
