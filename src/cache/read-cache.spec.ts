import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import { createReadCache, type ReadCacheOptions } from './cache.module.js';
import type { CacheOutcome, ReadCache } from './read-cache.js';

const TTL = 30;
const STALE_TTL = 600;

/** An in-process cache on a hand-driven clock. */
function setup(overrides: Partial<ReadCacheOptions> = {}) {
  let nowMs = Date.parse('2024-05-01T10:00:00Z');
  const outcomes: CacheOutcome[] = [];
  const cache = createReadCache({
    redis: null,
    ttlSeconds: TTL,
    staleTtlSeconds: STALE_TTL,
    maxEntries: 100,
    now: () => nowMs,
    metrics: { onOutcome: (outcome) => outcomes.push(outcome) },
    ...overrides,
  });
  return {
    cache,
    outcomes,
    advance: (seconds: number) => {
      nowMs += seconds * 1000;
    },
  };
}

/** fn, counting its calls (ESM Jest has no global `jest` object to make mocks with). */
function counted<T>(fn: () => Promise<T>): (() => Promise<T>) & { calls: number } {
  const wrapped = Object.assign(
    () => {
      wrapped.calls += 1;
      return fn();
    },
    { calls: 0 },
  );
  return wrapped;
}

/** A loader answering { n: call number }. */
function counter() {
  let n = 0;
  return counted(async () => ({ n: ++n }));
}

const parts = { op: 'list', since: 0, until: 1000, pageNumber: 1 };

describe('ReadCache in-process', () => {
  let cache: ReadCache;
  afterEach(async () => {
    await cache?.close();
  });

  it('misses once, then hits with the copy and its age', async () => {
    const t = setup();
    cache = t.cache;
    const load = counter();
    expect(await cache.read('p1', parts, load)).toEqual({
      value: { n: 1 },
      outcome: 'miss',
      stale: false,
      ageSeconds: 0,
      generation: 0,
    });
    t.advance(12);
    expect(await cache.read('p1', parts, load)).toEqual({
      value: { n: 1 },
      outcome: 'hit',
      stale: false,
      ageSeconds: 12,
      generation: 0,
    });
    expect(load.calls).toBe(1);
    expect(t.outcomes).toEqual(['miss', 'hit']);
  });

  it('keys on the parts and the page: other parts or another page load separately', async () => {
    cache = setup().cache;
    const load = counter();
    await cache.read('p1', parts, load);
    await cache.read('p1', { ...parts, pageNumber: 2 }, load);
    await cache.read('p2', parts, load);
    expect(load.calls).toBe(3);
    expect(
      (await cache.read('p1', { pageNumber: 1, until: 1000, since: 0, op: 'list' }, load)).outcome,
    ).toBe('hit');
  });

  it('expires entries after the TTL (injected clock)', async () => {
    const t = setup();
    cache = t.cache;
    const load = counter();
    await cache.read('p1', parts, load);
    t.advance(TTL - 1);
    expect((await cache.read('p1', parts, load)).outcome).toBe('hit');
    t.advance(1);
    const read = await cache.read('p1', parts, load);
    expect(read).toMatchObject({ value: { n: 2 }, outcome: 'miss' });
  });

  it('holds at most maxEntries entries (LRU)', async () => {
    cache = setup({ maxEntries: 3 }).cache;
    const load = counter();
    for (const page of [1, 2, 3]) await cache.read('p1', { ...parts, pageNumber: page }, load);
    await cache.read('p1', { ...parts, pageNumber: 1 }, load); // touch 1: 2 is now the oldest
    await cache.read('p1', { ...parts, pageNumber: 4 }, load); // evicts 2
    expect(load.calls).toBe(4);
    expect((await cache.read('p1', { ...parts, pageNumber: 1 }, load)).outcome).toBe('hit');
    expect((await cache.read('p1', { ...parts, pageNumber: 4 }, load)).outcome).toBe('hit');
    expect((await cache.read('p1', { ...parts, pageNumber: 2 }, load)).outcome).toBe('miss');
    expect(load.calls).toBe(5);
  });

  it('coalesces 100 identical concurrent reads into one load; different parts stay separate', async () => {
    const t = setup();
    cache = t.cache;
    const load = counted(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { rows: [1, 2, 3] };
    });
    const reads = await Promise.all([
      ...Array.from({ length: 100 }, () => cache.read('p1', parts, load)),
      cache.read('p1', { ...parts, pageNumber: 2 }, load),
    ]);
    expect(load.calls).toBe(2);
    const outcomes = reads.map((r) => r.outcome);
    expect(outcomes.filter((o) => o === 'miss')).toHaveLength(2);
    expect(outcomes.filter((o) => o === 'coalesced')).toHaveLength(99);
    expect(new Set(reads.slice(0, 100).map((r) => r.value)).size).toBe(1);
  });

  it('shares a failed load with its joiners, and never caches the error', async () => {
    cache = setup().cache;
    let fail = true;
    const load = counted(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail) throw GatewayError.upstream('boom');
      return { ok: true };
    });
    const settled = await Promise.allSettled([1, 2, 3].map(() => cache.read('p1', parts, load)));
    expect(settled.every((s) => s.status === 'rejected')).toBe(true);
    expect(load.calls).toBe(1);
    fail = false;
    expect(await cache.read('p1', parts, load)).toMatchObject({
      value: { ok: true },
      outcome: 'miss',
    });
    expect(load.calls).toBe(2);
  });

  it('invalidatePage retires every cached read of that page only', async () => {
    cache = setup().cache;
    const load = counter();
    await cache.read('p1', parts, load);
    await cache.read('p1', { ...parts, pageNumber: 2 }, load);
    await cache.read('p2', parts, load);
    await cache.invalidatePage('p1');
    expect((await cache.read('p1', parts, load)).outcome).toBe('miss');
    expect((await cache.read('p1', { ...parts, pageNumber: 2 }, load)).outcome).toBe('miss');
    expect((await cache.read('p2', parts, load)).outcome).toBe('hit');
    expect(load.calls).toBe(5);
  });

  it('a read after an invalidation does not join a load that started before it', async () => {
    cache = setup().cache;
    let release!: () => void;
    const slow = counted(
      () => new Promise<string>((resolve) => (release = () => resolve('before'))),
    );
    const before = cache.read('p1', parts, slow);
    await new Promise((resolve) => setImmediate(resolve));
    await cache.invalidatePage('p1');
    const after = await cache.read('p1', parts, async () => 'after');
    release();
    expect((await before).value).toBe('before');
    expect(after).toMatchObject({ value: 'after', outcome: 'miss' });
  });

  it.each([ErrorCode.UPSTREAM_ERROR, ErrorCode.RATE_LIMITED])(
    'serves the last good copy, flagged stale with its age, when the load fails with %s',
    async (code) => {
      const t = setup();
      cache = t.cache;
      await cache.read('p1', parts, async () => ({ n: 1 }));
      t.advance(TTL + 15);
      const read = await cache.read('p1', parts, async () => {
        throw new GatewayError(code, 'upstream says no');
      });
      expect(read).toMatchObject({
        value: { n: 1 },
        outcome: 'stale',
        stale: true,
        ageSeconds: TTL + 15,
      });
      expect(t.outcomes).toEqual(['miss', 'stale']);
    },
  );

  it.each([
    ['BAD_USER_INPUT', GatewayError.badInput([{ field: 'since', rule: 'bad' }])],
    ['NOT_FOUND', GatewayError.notFound('no such customer')],
    ['a plain Error', new Error('bug')],
  ])('does not paper over %s with a stale copy', async (_label, error) => {
    const t = setup();
    cache = t.cache;
    await cache.read('p1', parts, async () => ({ n: 1 }));
    t.advance(TTL + 1);
    await expect(cache.read('p1', parts, async () => Promise.reject(error))).rejects.toBe(error);
  });

  it('keeps the stale copy for staleTtlSeconds only', async () => {
    const t = setup();
    cache = t.cache;
    await cache.read('p1', parts, async () => ({ n: 1 }));
    const failing = async (): Promise<never> => {
      throw GatewayError.upstream('down');
    };
    t.advance(STALE_TTL);
    expect((await cache.read('p1', parts, failing)).outcome).toBe('stale');
    t.advance(1);
    await expect(cache.read('p1', parts, failing)).rejects.toThrow('down');
  });

  it('does not serve a copy older than the last mutation of the page, even as stale', async () => {
    const t = setup();
    cache = t.cache;
    await cache.read('p1', parts, async () => ({ n: 1 }));
    await cache.invalidatePage('p1');
    await expect(
      cache.read('p1', parts, async () => {
        throw GatewayError.upstream('down');
      }),
    ).rejects.toThrow('down');
  });

  it('returns deep-frozen values, so a caller cannot change the cached copy', async () => {
    cache = setup().cache;
    const first = await cache.read('p1', parts, async () => ({ nodes: [{ name: 'a' }] }));
    expect(() => {
      first.value.nodes[0].name = 'changed';
    }).toThrow(TypeError);
    const again = await cache.read('p1', parts, async () => ({ nodes: [{ name: 'never' }] }));
    expect(again.value).toEqual({ nodes: [{ name: 'a' }] });
  });

  it('caches null (an unknown customer) like any value', async () => {
    cache = setup().cache;
    const load = counted(async () => null);
    await cache.read('p1', { op: 'customer', id: 'x' }, load);
    expect(await cache.read('p1', { op: 'customer', id: 'x' }, load)).toMatchObject({
      value: null,
      outcome: 'hit',
    });
    expect(load.calls).toBe(1);
  });

  it('a throwing metrics hook never fails a read', async () => {
    cache = setup({
      metrics: {
        onOutcome: () => {
          throw new Error('metrics down');
        },
      },
    }).cache;
    await expect(cache.read('p1', parts, async () => 1)).resolves.toMatchObject({ value: 1 });
  });

  it('reports a healthy in-process backend', () => {
    cache = setup().cache;
    expect(cache.health()).toEqual({ backend: 'in-process', healthy: true });
  });
});
