import { deepFreeze } from './deep-freeze.js';

describe('deepFreeze', () => {
  it('freezes nested objects, arrays and Dates, and returns the same value', () => {
    const value = { page: { nodes: [{ name: 'a', at: new Date(0) }] }, total: 1 };
    expect(deepFreeze(value)).toBe(value);
    expect(Object.isFrozen(value.page.nodes)).toBe(true);
    expect(Object.isFrozen(value.page.nodes[0])).toBe(true);
    expect(Object.isFrozen(value.page.nodes[0].at)).toBe(true);
    expect(() => {
      (value.page.nodes as unknown[]).push({});
    }).toThrow(TypeError);
  });

  it('copes with cycles, primitives and typed arrays', () => {
    const cyclic: { self?: unknown; bytes: Uint8Array } = { bytes: new Uint8Array([1, 2]) };
    cyclic.self = cyclic;
    expect(() => deepFreeze(cyclic)).not.toThrow();
    expect(Object.isFrozen(cyclic)).toBe(true);
    expect(deepFreeze(null)).toBeNull();
    expect(deepFreeze(3)).toBe(3);
  });
});

describe('deepFreeze on shared parts', () => {
  it('freezes a fresh value that shares a part already deep-frozen', () => {
    const shared = deepFreeze({ phones: ['+84901234567'] });
    const value = { a: shared, b: { list: [shared] } };
    deepFreeze(value);
    expect(Object.isFrozen(value.b.list)).toBe(true);
    expect(Object.isFrozen(value.a.phones)).toBe(true);
  });
});
