import { responseLogLevel } from './request-log.hook.js';

describe('responseLogLevel', () => {
  it.each([
    [200, false, 'info'],
    [413, false, 'info'],
    [500, false, 'error'],
    [502, false, 'error'],
    [503, false, 'error'],
    [503, true, 'warn'],
    [500, true, 'warn'],
    [200, true, 'info'],
  ])('status %i (route reports unavailability: %s) is logged at %s', (status, reports, level) => {
    expect(responseLogLevel(status, reports)).toBe(level);
  });
});
