import { startSimulator } from './index.js';
import type { Simulator } from './types.js';
import { list, manualClock } from './spec-helpers.js';

const T0 = Date.UTC(2026, 10, 10, 10, 0, 0, 0);
const clock = manualClock(T0);
let sim: Simulator;

beforeEach(async () => {
  clock.set(T0);
  sim = await startSimulator({ customers: 10, rateLimitPerSecond: 5, now: clock.now });
});
afterEach(() => sim.close());

/** One list call arriving at T0 + offsetMs on the injected clock. */
async function at(offsetMs: number, pageId = '111', token?: string | null): Promise<number> {
  clock.set(T0 + offsetMs);
  return (await list(sim, {}, { pageId, token })).status;
}

describe('per-page sliding 1000 ms window', () => {
  it('admits 5, refuses the 6th inside the window, admits again at first arrival + 1000 ms exactly', async () => {
    for (const offset of [0, 100, 200, 300, 400]) expect(await at(offset)).toBe(200);
    clock.set(T0 + 999);
    const refused = await list(sim);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({ success: false, message: 'Too many requests', error_code: 429 });
    expect(refused.headers.get('retry-after')).toBeNull();
    expect(await at(1000)).toBe(200); // the arrival at T0 left the window (receivedAt > now - 1000)
    expect(await at(1099)).toBe(429); // 100..400 and 1000 are still inside
    expect(await at(1100)).toBe(200);
  });

  it('does not count its own 429s, so a client that backs off recovers', async () => {
    for (let i = 0; i < 5; i++) expect(await at(0)).toBe(200);
    for (let i = 0; i < 20; i++) expect(await at(500)).toBe(429);
    expect(await at(1000)).toBe(200);
    const log = sim.requestLog('111');
    expect(log.filter((e) => e.status === 429).every((e) => !e.counted)).toBe(true);
    expect(log.filter((e) => e.counted)).toHaveLength(6);
  });

  it('does not count requests with a bad token', async () => {
    for (let i = 0; i < 10; i++) expect(await at(0, '111', 'wrong')).toBe(401);
    for (let i = 0; i < 5; i++) expect(await at(0)).toBe(200);
  });

  it('counts requests that reached the page whatever their answer (400s, injected faults)', async () => {
    sim.injectFault({ kind: 'status', status: 500, count: 2 });
    expect(await at(0)).toBe(500);
    expect(await at(0)).toBe(500);
    clock.set(T0);
    expect((await list(sim, { page_size: 500 })).status).toBe(400);
    expect(await at(0)).toBe(200);
    expect(await at(0)).toBe(200);
    expect(await at(0)).toBe(429);
  });

  it('keeps one window per page', async () => {
    for (let i = 0; i < 5; i++) expect(await at(0, '111')).toBe(200);
    expect(await at(0, '111')).toBe(429);
    for (let i = 0; i < 5; i++) expect(await at(0, '222')).toBe(200);
    expect(await at(0, '222')).toBe(429);
  });

  it('records arrival times from the clock in the log', async () => {
    await at(0);
    await at(250);
    expect(sim.requestLog().map((e) => e.receivedAt)).toEqual([T0, T0 + 250]);
  });
});

describe('with the real clock', () => {
  it('refuses a burst over the limit and admits again after a second', async () => {
    const real = await startSimulator({ customers: 5, rateLimitPerSecond: 3 });
    try {
      const burst = await Promise.all(Array.from({ length: 5 }, () => list(real)));
      expect(burst.map((r) => r.status).sort()).toEqual([200, 200, 200, 429, 429]);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      expect((await list(real)).status).toBe(200);
    } finally {
      await real.close();
    }
  });
});
