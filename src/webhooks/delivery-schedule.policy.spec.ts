import {
  MAX_ATTEMPTS,
  RETRY_DELAYS_MS,
  retryDelayMs,
  verdictOf,
} from './delivery-schedule.policy.js';

describe('retryDelayMs', () => {
  it('follows the contract: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, then dead', () => {
    const seconds = [1, 2, 3, 4, 5, 6, 7].map((attempt) => retryDelayMs(attempt)! / 1000);
    expect(seconds).toEqual([5, 300, 1800, 7200, 18_000, 36_000, 36_000]);
    expect(retryDelayMs(8)).toBeNull();
    expect(MAX_ATTEMPTS).toBe(8);
  });

  it('scales the whole schedule (tests shorten it), never to zero', () => {
    expect(retryDelayMs(1, 0.001)).toBe(5);
    expect(retryDelayMs(7, 0.001)).toBe(36_000);
    expect(retryDelayMs(1, 0.00001)).toBe(1);
    expect(retryDelayMs(8, 0.001)).toBeNull();
  });

  it('refuses attempts below 1', () => {
    expect(() => retryDelayMs(0)).toThrow(RangeError);
    expect(() => retryDelayMs(1.5)).toThrow(RangeError);
  });

  it('has one delay per retry', () => {
    expect(RETRY_DELAYS_MS).toHaveLength(MAX_ATTEMPTS - 1);
  });
});

describe('verdictOf', () => {
  it.each([
    [200, 'delivered'],
    [204, 'delivered'],
    [299, 'delivered'],
    [301, 'failed'],
    [302, 'failed'],
    [400, 'failed'],
    [404, 'failed'],
    [410, 'gone'],
    [429, 'failed'],
    [500, 'failed'],
    [null, 'failed'],
  ] as const)('%s is %s', (status, verdict) => {
    expect(verdictOf(status)).toBe(verdict);
  });
});
