import { ARRAY_SAMPLE, estimateRetainedBytes } from './retained-size.js';

describe('estimateRetainedBytes', () => {
  it('sizes strings by length and encoding (Latin-1: one byte a character, else two)', () => {
    expect(estimateRetainedBytes('')).toBe(16);
    expect(estimateRetainedBytes('a'.repeat(100))).toBe(16 + 104);
    expect(estimateRetainedBytes('Nguyễn'.repeat(10))).toBe(16 + 120);
    expect(estimateRetainedBytes('Café')).toBe(24); // é is Latin-1
  });

  it('counts slots of objects and arrays, fixed sizes for Dates and boxed numbers', () => {
    expect(estimateRetainedBytes(null)).toBe(0);
    expect(estimateRetainedBytes(true)).toBe(0);
    expect(estimateRetainedBytes(42)).toBe(0); // a small integer lives in its slot
    expect(estimateRetainedBytes(0.5)).toBe(16);
    expect(estimateRetainedBytes(new Date(0))).toBe(112);
    expect(estimateRetainedBytes({})).toBe(24);
    expect(estimateRetainedBytes({ a: 1, b: null })).toBe(24 + 16);
    expect(estimateRetainedBytes([])).toBe(48);
    expect(estimateRetainedBytes({ at: new Date(0), tags: ['x'] })).toBe(24 + 16 + 112 + 56 + 24);
    expect(estimateRetainedBytes(Buffer.alloc(1000))).toBe(48 + 1000);
  });

  it('counts a part shared by two places twice (an upper bound for shared records)', () => {
    const shared = { name: 'x'.repeat(100) };
    expect(estimateRetainedBytes([shared, shared])).toBe(
      48 + 16 + 2 * estimateRetainedBytes(shared),
    );
  });

  it('sizes a long array from a spread sample, scaled to its length', () => {
    const uniform = Array.from({ length: 100 }, (_, i) => ({ id: `id-${i % 10}` }));
    const one = estimateRetainedBytes(uniform[0]);
    expect(estimateRetainedBytes(uniform)).toBe(48 + 800 + 100 * one);
    // The sample reads items 0, 6, 12, ... (100 / ARRAY_SAMPLE apart): item 1 is not read.
    expect(ARRAY_SAMPLE).toBe(16);
    const skipped = uniform.map((item, i) => (i === 1 ? { id: 'y'.repeat(1000) } : item));
    expect(estimateRetainedBytes(skipped)).toBe(estimateRetainedBytes(uniform));
    const read = uniform.map((item, i) => (i === 0 ? { id: 'y'.repeat(1000) } : item));
    expect(estimateRetainedBytes(read)).toBeGreaterThan(estimateRetainedBytes(uniform));
  });
});
