import { sseMessage, wantsEventStream } from './sse-stream.js';
import type { CustomerEventView } from './customer-event-view.js';

describe('wantsEventStream', () => {
  it.each([
    ['text/event-stream', true],
    ['application/json, text/event-stream;q=0.9', true],
    ['TEXT/EVENT-STREAM', true],
    ['application/json', false],
    ['text/event-streamx', false],
    [undefined, false],
  ])('%p -> %p', (accept, expected) => {
    expect(wantsEventStream(accept)).toBe(expected);
  });
});

describe('sseMessage', () => {
  it('carries the cursor as id and the event as one data line', () => {
    const event = {
      cursor: 'ZTE6MTExOjE',
      id: 'evt_1',
      customer: { name: 'a\nb' },
    } as unknown as CustomerEventView;
    const message = sseMessage(event);
    expect(message.startsWith('id: ZTE6MTExOjE\ndata: {')).toBe(true);
    expect(message.endsWith('}\n\n')).toBe(true);
    expect(message.split('\n')).toHaveLength(4);
  });
});
