import { limiterKeys, PAUSE_SCRIPT, RESERVE_SCRIPT } from './redis-limiter-scripts.js';

describe('Redis limiter scripts (review)', () => {
  /** Every redis.call names its key through KEYS[n] (n <= the keys the caller passes) or takes none. */
  function keyArguments(script: string): { command: string; key: string | null }[] {
    return [...script.matchAll(/redis\.call\('(\w+)'(?:,\s*([^,)]+))?/g)].map((m) => ({
      command: m[1],
      key: m[2] ?? null,
    }));
  }

  it('the reservation script touches only KEYS[1] and KEYS[2], and reads the clock with TIME', () => {
    const calls = keyArguments(RESERVE_SCRIPT);
    expect(calls).toEqual([
      { command: 'TIME', key: null },
      { command: 'GET', key: 'KEYS[1]' },
      { command: 'GET', key: 'KEYS[2]' },
      { command: 'SET', key: 'KEYS[1]' },
    ]);
  });

  it('the pause script touches only KEYS[1]', () => {
    expect(keyArguments(PAUSE_SCRIPT)).toEqual([
      { command: 'TIME', key: null },
      { command: 'GET', key: 'KEYS[1]' },
      { command: 'SET', key: 'KEYS[1]' },
    ]);
  });

  it('names keys with the prefix and a {pageId} hash tag shared by both keys', () => {
    expect(limiterKeys('pgw:', '123')).toEqual({
      tat: 'pgw:rl:{123}:tat',
      pause: 'pgw:rl:{123}:pause',
    });
  });
});
