import { ErrorCode } from '../../src/common/errors/error-code.js';
import { fenceKey } from '../../src/customers/stores/redis-keys.js';
import { RedisWriteLedger } from '../../src/customers/stores/redis-write-ledger.js';
import { behavesLikeAWriteLedger, doubt } from '../support/contracts/write-ledger.contract.js';
import { describeWithRedis, replicaConnections, unreachableRedis } from '../support/redis.js';

describeWithRedis('RedisWriteLedger', () => {
  const redis = replicaConnections('write-ledger');
  behavesLikeAWriteLedger(
    () => new RedisWriteLedger(redis.a, { keyPrefix: redis.prefix, journalMs: 60_000 }),
    () => new RedisWriteLedger(redis.b, { keyPrefix: redis.prefix, journalMs: 60_000 }),
  );

  it('keys the fence under {pageId} and lets it expire with the quarantine', async () => {
    const d = doubt({ landsBy: Date.now() + 2000 });
    await new RedisWriteLedger(redis.a, { keyPrefix: redis.prefix, journalMs: 60_000 }).fence(d);
    const key = fenceKey(redis.prefix, '111', d.customerId);
    expect(key).toBe(`${redis.prefix}fence:{111}:${d.customerId}`);
    const pttl = await redis.admin.pttl(key);
    expect(pttl).toBeGreaterThan(1000);
    expect(pttl).toBeLessThanOrEqual(2000);
  });
});

describe('RedisWriteLedger with Redis down', () => {
  const down = unreachableRedis('write-ledger-dead');

  it('refuses to say a customer is not fenced (503), and swallows acknowledgements', async () => {
    const reports: string[] = [];
    const ledger = new RedisWriteLedger(down.redis, {
      journalMs: 60_000,
      onError: (operation) => reports.push(operation),
    });
    await expect(ledger.fenceOf('111', 'c')).rejects.toMatchObject({
      code: ErrorCode.SERVICE_UNAVAILABLE,
    });
    await expect(ledger.fence(doubt())).rejects.toMatchObject({
      code: ErrorCode.SERVICE_UNAVAILABLE,
    });
    await ledger.acknowledge('111', 'c', { kind: 'phones-added', numbers: [], at: 0 });
    expect(reports).toEqual(['write journal acknowledge']);
  });
});
