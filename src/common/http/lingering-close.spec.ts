import type { IncomingMessage } from 'node:http';
import { bodyStillArriving } from './lingering-close.js';

function requestWith(complete: boolean, headers: Record<string, string>): IncomingMessage {
  return { complete, headers } as unknown as IncomingMessage;
}

describe('bodyStillArriving', () => {
  it.each([
    [false, { 'content-length': '10485760' }, true],
    [false, { 'transfer-encoding': 'chunked' }, true],
    [true, { 'content-length': '10485760' }, false],
    [true, { 'transfer-encoding': 'chunked' }, false],
    // No body framed: nothing more will come even before the parser marks the message complete.
    [false, {}, false],
    [false, { 'content-length': '0' }, false],
  ])('complete=%s with %j: %s', (complete, headers, expected) => {
    expect(bodyStillArriving(requestWith(complete, headers))).toBe(expected);
  });
});
