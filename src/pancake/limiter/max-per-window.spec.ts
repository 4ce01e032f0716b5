import { maxPerWindow } from './max-per-window.js';

describe('maxPerWindow', () => {
  it('counts times in half-open 1000 ms windows', () => {
    expect(maxPerWindow([])).toBe(0);
    expect(maxPerWindow([0, 999])).toBe(2);
    expect(maxPerWindow([0, 1000])).toBe(1);
    expect(maxPerWindow([500, 0, 200, 1100, 1199])).toBe(4);
    expect(maxPerWindow([500, 0, 200, 1200, 1199])).toBe(3);
  });
});
