import { parseSignal } from './postgres-feed-signals.js';

describe('parseSignal', () => {
  it('reads page and cursor', () => {
    expect(parseSignal('111:42')).toEqual({ pageId: '111', seq: 42 });
  });

  it.each([undefined, '', '111', 'abc:1', '111:-1', '111:1:2', `111:${'9'.repeat(16)}`])(
    'ignores %p',
    (payload) => {
      expect(parseSignal(payload)).toBeNull();
    },
  );
});
