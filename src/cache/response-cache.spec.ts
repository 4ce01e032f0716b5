import { MemoryBudget } from './memory-budget.js';
import { ResponseCache, type ReplayableResponse } from './response-cache.js';

describe('ResponseCache', () => {
  let now = 1_000_000;
  const clock = () => now;
  const entry = (overrides: Partial<ReplayableResponse> = {}): ReplayableResponse => ({
    payload: Buffer.from('{"ok":true}'),
    contentType: 'application/json',
    deps: [{ pageId: '111', generation: 3 }],
    expiresAt: now + 30_000,
    ...overrides,
  });
  const generations = new Map<string, number | null>([
    ['111', 3],
    ['222', 0],
  ]);
  const generationOf = async (pageId: string) => generations.get(pageId) ?? 0;

  it('replays while fresh and every page is at its generation', async () => {
    const cache = new ResponseCache(10, new MemoryBudget(1024 * 1024), clock);
    cache.set('k', entry());
    expect((await cache.get('k', generationOf))?.payload.toString()).toBe('{"ok":true}');
  });

  it('drops an entry once a page it read was written to', async () => {
    const cache = new ResponseCache(10, new MemoryBudget(1024 * 1024), clock);
    cache.set(
      'k',
      entry({
        deps: [
          { pageId: '222', generation: 0 },
          { pageId: '111', generation: 3 },
        ],
      }),
    );
    generations.set('111', 4);
    expect(await cache.get('k', generationOf)).toBeUndefined();
    expect(cache.size).toBe(0);
    generations.set('111', 3);
  });

  it('drops an entry when the shared store cannot say the generation', async () => {
    const cache = new ResponseCache(10, new MemoryBudget(1024 * 1024), clock);
    cache.set('k', entry());
    expect(await cache.get('k', async () => null)).toBeUndefined();
  });

  it('expires with the freshness of its reads', async () => {
    const cache = new ResponseCache(10, new MemoryBudget(1024 * 1024), clock);
    cache.set('k', entry({ expiresAt: now + 1000 }));
    now += 1000;
    expect(await cache.get('k', generationOf)).toBeUndefined();
    cache.set('expired', entry({ expiresAt: now }));
    expect(cache.size).toBe(0);
  });

  it('is bounded in entries', async () => {
    const cache = new ResponseCache(3, new MemoryBudget(1024 * 1024), clock);
    for (let i = 0; i < 10; i += 1) cache.set(`k${i}`, entry());
    expect(cache.size).toBe(3);
  });

  it('is bounded in bytes: payload, key and overhead count against the budget', async () => {
    const budget = new MemoryBudget(64 * 1024);
    const cache = new ResponseCache(1000, budget, clock);
    cache.set('k', entry({ payload: Buffer.alloc(4000) }));
    expect(budget.bytes('replay')).toBeGreaterThan(4000 + 'k'.length);
    for (let i = 0; i < 50; i += 1) cache.set(`k${i}`, entry({ payload: Buffer.alloc(4000) }));
    expect(budget.bytes('replay')).toBeLessThanOrEqual(64 * 1024);
    expect(cache.size).toBeLessThan(16);
  });
});
