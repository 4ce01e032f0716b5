import request from 'supertest';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { ALL_TIME, bearer, startGateway, type TestGateway } from './support/gateway.js';
import {
  describeWithRedis,
  redisAvailable,
  TEST_REDIS_URL,
  uniquePrefix,
} from './support/redis.js';

/**
 * Cache, invalidation, coalescing, lookup by id, lossless phone adds and idempotent note
 * creation: once on one in-process gateway, once on two replicas sharing Redis, where every
 * request alternates replicas. Upstream traffic is counted in the simulator's request log.
 */
interface Mode {
  name: string;
  replicas: number;
  redis: boolean;
}

const MODES: Mode[] = [
  { name: 'one in-process gateway', replicas: 1, redis: false },
  { name: 'two replicas on Redis', replicas: 2, redis: true },
];

interface CustomerJson {
  id: string;
  name: string | null;
  phoneNumbers: string[];
}

for (const mode of MODES) {
  const describeMode = mode.redis ? describeWithRedis : describe;
  describeMode(`consistency: ${mode.name} (e2e)`, () => {
    let sim: Simulator;
    let gateways: TestGateway[] = [];
    let turn = 0;
    /** The next replica, round robin. */
    const gw = (): string => gateways[turn++ % gateways.length].url;

    beforeAll(async () => {
      if (mode.redis && !redisAvailable) return;
      sim = await startSimulator({ customers: 60, rateLimitPerSecond: 1000 });
      const env = {
        PANCAKE_RATE_LIMIT_PER_SECOND: '1000',
        CACHE_TTL_SECONDS: '2',
        ...(mode.redis
          ? { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix('consistency') }
          : {}),
      };
      gateways = [];
      for (let i = 0; i < mode.replicas; i += 1) gateways.push(await startGateway(sim, env));
    });
    afterAll(async () => {
      for (const gateway of gateways) await gateway.close();
      await sim?.close();
    });
    beforeEach(() => {
      sim.clearLog();
      sim.clearFaults();
    });

    const lists = (): number => sim.requestLog('111').filter((e) => e.operation === 'list').length;
    const list = (url: string, query: Record<string, string | number> = {}) =>
      request(url)
        .get('/v1/pages/111/customers')
        .query({ ...ALL_TIME, pageSize: 20, ...query })
        .set('Authorization', bearer());

    it('serves a repeated read from the cache, on every replica', async () => {
      const first = await list(gw(), { pageNumber: 2 }).expect(200);
      expect(first.headers['x-cache']).toBe('MISS');
      const second = await list(gw(), { pageNumber: 2 }).expect(200);
      expect(second.headers['x-cache']).toBe('HIT');
      expect(second.body).toEqual(first.body);
      expect(lists()).toBe(1);
    });

    it('invalidates the page on every replica after a write', async () => {
      const before = await list(gw(), { pageNumber: 3 }).expect(200);
      const target = (before.body.nodes as CustomerJson[])[0];
      await request(gw())
        .patch(`/v1/pages/111/customers/${target.id}`)
        .set('Authorization', bearer())
        .send({ name: `Renamed ${mode.replicas}` })
        .expect(200);
      sim.clearLog();
      const after = await list(gw(), { pageNumber: 3 }).expect(200);
      expect(after.headers['x-cache']).toBe('MISS');
      expect(lists()).toBe(1);
      const renamed = (after.body.nodes as CustomerJson[]).find((c) => c.id === target.id);
      expect(renamed?.name).toBe(`Renamed ${mode.replicas}`);
    });

    it('coalesces identical concurrent cold reads into one upstream request', async () => {
      const responses = await Promise.all(
        Array.from({ length: 40 }, () => list(gw(), { pageNumber: 1, pageSize: 7 })),
      );
      expect(responses.every((r) => r.status === 200)).toBe(true);
      const upstream = lists();
      process.stdout.write(
        `[${mode.name}] 40 concurrent cold reads -> ${upstream} upstream list request(s)\n`,
      );
      // In-process coalescing is exact; across replicas a Redis marker makes it best effort.
      expect(upstream).toBeLessThanOrEqual(mode.replicas);
    });

    it('finds one customer by id on a replica that never listed it', async () => {
      const page = await list(gw(), { pageNumber: 1, pageSize: 5 }).expect(200);
      const id = (page.body.nodes as CustomerJson[])[4].id;
      const one = await request(gw())
        .get(`/v1/pages/111/customers/${id}`)
        .set('Authorization', bearer())
        .expect(200);
      expect(one.body.id).toBe(id);
    });

    it('keeps every number: concurrent adds and a dashboard edit a second earlier', async () => {
      const page = await list(gw(), { pageNumber: 1, pageSize: 10 }).expect(200);
      const id = (page.body.nodes as CustomerJson[])[9].id;
      const existing = sim.store.getCustomer('111', id)!.phone_numbers ?? [];
      sim.store.setPhoneNumbers('111', id, [...existing, '+84 912 000 111']); // added in Pancake's dashboard
      const adds = ['0901 111 222', '0901 333 444', '0901 555 666', '0901 777 888'];
      const results = await Promise.all(
        adds.map((phone) =>
          request(gw())
            .post(`/v1/pages/111/customers/${id}/phone-numbers`)
            .set('Authorization', bearer())
            .send({ phoneNumbers: [phone] }),
        ),
      );
      expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      const stored = sim.store.getCustomer('111', id)!.phone_numbers ?? [];
      for (const phone of ['+84901111222', '+84901333444', '+84901555666', '+84901777888']) {
        expect(stored).toContain(phone);
      }
      expect(stored.join(',')).toContain('912');
      expect(stored.length).toBeGreaterThanOrEqual(existing.length + 5);
    });

    describe('idempotent note creation', () => {
      let customerId: string;
      beforeAll(async () => {
        const page = await list(gw(), { pageNumber: 1, pageSize: 12 }).expect(200);
        customerId = (page.body.nodes as CustomerJson[])[11].id;
      });
      const create = (url: string, key: string, message: string) =>
        request(url)
          .post(`/v1/pages/111/customers/${customerId}/notes`)
          .set('Authorization', bearer())
          .set('Idempotency-Key', key)
          .send({ message });

      it('replays the first result on any replica and creates the note once', async () => {
        const key = `idem-${Math.random().toString(36).slice(2)}`;
        const first = await create(gw(), key, 'call back tomorrow').expect(201);
        const again = await create(gw(), key, 'call back tomorrow').expect(201);
        expect(again.body).toEqual(first.body);
        const notes = sim.store
          .notesOf('111', customerId)
          .filter((n) => n.message === 'call back tomorrow');
        expect(notes).toHaveLength(1);
        const other = await create(gw(), key, 'another body').expect(422);
        expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
      });

      it('answers 409 while the first request with the key is still running', async () => {
        const key = `idem-${Math.random().toString(36).slice(2)}`;
        sim.injectFault({
          kind: 'latency',
          latencyMs: 1500,
          operation: 'note_create',
          pageId: '111',
          count: 1,
        });
        const slow = create(gw(), key, 'slow note').then((r) => r);
        await new Promise((resolve) => setTimeout(resolve, 400));
        const concurrent = await create(gw(), key, 'slow note');
        expect(concurrent.status).toBe(409);
        expect(concurrent.body.error.code).toBe('CONFLICT');
        expect((await slow).status).toBe(201);
        expect(
          sim.store.notesOf('111', customerId).filter((n) => n.message === 'slow note'),
        ).toHaveLength(1);
      });
    });

    it('serves the last good copy, marked stale, when upstream fails after the TTL', async () => {
      const fresh = await list(gw(), { pageNumber: 2, pageSize: 9 }).expect(200);
      await new Promise((resolve) => setTimeout(resolve, 2100));
      sim.injectFault({ kind: 'status', status: 503, pageId: '111', operation: 'list', count: 50 });
      const stale = await list(gw(), { pageNumber: 2, pageSize: 9 }).expect(200);
      expect(stale.headers['x-cache']).toBe('STALE');
      expect(stale.body).toEqual(fresh.body);
    });
  });
}
