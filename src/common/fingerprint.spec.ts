import { fingerprintOf } from './fingerprint.js';

describe('fingerprintOf', () => {
  it('ignores key order at every depth and hashes Dates as ISO strings', () => {
    const a = fingerprintOf({ b: 1, a: { y: [1, { q: 1, p: 2 }], x: new Date(0) } });
    const b = fingerprintOf({ a: { x: '1970-01-01T00:00:00.000Z', y: [1, { p: 2, q: 1 }] }, b: 1 });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('tells different values apart', () => {
    expect(fingerprintOf({ message: 'a' })).not.toBe(fingerprintOf({ message: 'b' }));
    expect(fingerprintOf([1, 2])).not.toBe(fingerprintOf([2, 1]));
    expect(fingerprintOf({ a: undefined })).toBe(fingerprintOf({}));
  });
});
