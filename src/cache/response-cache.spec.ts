import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { MemoryBudget } from './memory-budget.js';
import { ResponseCache, type ReplayableResponse } from './response-cache.js';

describe('ResponseCache', () => {
  let now = 1_000_000;
  const clock = () => now;
  const entry = (overrides: Partial<ReplayableResponse> = {}): ReplayableResponse => ({
    payload: Buffer.from('{"ok":true}'),
    contentType: 'application/json',
    etag: 'W/"ok"',
    variants: new Map(),
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

  describe('compressed variants', () => {
    const json = Buffer.from(
      JSON.stringify({
        nodes: Array.from({ length: 200 }, (_, i) => ({ i, name: 'Nguyễn Văn A' })),
      }),
    );

    it('compresses once per entry and coding, then replays the same bytes', async () => {
      const cache = new ResponseCache(10, new MemoryBudget(1024 * 1024), clock);
      cache.set('k', entry({ payload: json }));
      const first = cache.variantOf('k', (await cache.get('k', generationOf))!, 'gzip');
      expect(gunzipSync(first).equals(json)).toBe(true);
      const stored = (await cache.get('k', generationOf))!;
      expect(stored.variants.get('gzip')).toBe(first);
      expect(cache.variantOf('k', stored, 'gzip')).toBe(first);
      cache.variantOf('k', stored, 'br');
      expect([...(await cache.get('k', generationOf))!.variants.keys()].sort()).toEqual([
        'br',
        'gzip',
      ]);
    });

    it('counts a variant against the budget when it is added', async () => {
      const budget = new MemoryBudget(1024 * 1024);
      const cache = new ResponseCache(10, budget, clock);
      cache.set('k', entry({ payload: json }));
      const before = budget.bytes('replay');
      const variant = cache.variantOf('k', (await cache.get('k', generationOf))!, 'gzip');
      expect(budget.bytes('replay')).toBe(before + variant.byteLength);
    });

    it('keeps an entry whose variants no longer fit its share out, and still answers', async () => {
      // 1 MiB budget: the replay share is 256 KiB; an incompressible 200 KB payload plus its gzip copy passes it.
      const budget = new MemoryBudget(1024 * 1024);
      const cache = new ResponseCache(10, budget, clock);
      const noise = randomBytes(200_000);
      cache.set('k', entry({ payload: noise }));
      expect(cache.size).toBe(1);
      const variant = cache.variantOf('k', (await cache.get('k', generationOf))!, 'gzip');
      expect(gunzipSync(variant).equals(noise)).toBe(true);
      expect(cache.size).toBe(0);
      expect(budget.bytes('replay')).toBe(0);
    });

    it('does not bring back an entry dropped meanwhile', async () => {
      const cache = new ResponseCache(10, new MemoryBudget(1024 * 1024), clock);
      cache.set('k', entry({ payload: json }));
      const held = (await cache.get('k', generationOf))!;
      cache.set('k', entry({ payload: Buffer.from('{"newer":true}') }));
      cache.variantOf('k', held, 'gzip');
      expect((await cache.get('k', generationOf))!.variants.size).toBe(0);
    });
  });
});
