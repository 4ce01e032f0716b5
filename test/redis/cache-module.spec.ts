import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { CacheModule } from '../../src/cache/cache.module.js';
import { ReadCache } from '../../src/cache/read-cache.js';
import { ConfigModule } from '../../src/config/config.module.js';
import { loadConfig } from '../../src/config/load-config.js';
import { RedisModule } from '../../src/infra/redis/redis.module.js';
import { MetricsModule } from '../../src/metrics/metrics.module.js';
import { deletePrefix, describeWithRedis, testRedis, TEST_REDIS_URL } from '../support/redis.js';

async function boot(env: Record<string, string>) {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(loadConfig(env)), RedisModule, MetricsModule, CacheModule],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

describeWithRedis('CacheModule with REDIS_URL', () => {
  it('provides a Redis-backed ReadCache, ready once booted, closed on shutdown', async () => {
    const admin = testRedis();
    const pageId = `module-test-${process.pid}-${Date.now()}`;
    const moduleRef = await boot({ REDIS_URL: TEST_REDIS_URL });
    const cache = moduleRef.get(ReadCache);
    try {
      expect(cache.health()).toEqual({ backend: 'redis', healthy: true });
      expect((await cache.read(pageId, { op: 'x' }, async () => 1)).outcome).toBe('miss');
      expect((await cache.read(pageId, { op: 'x' }, async () => 2)).outcome).toBe('hit');
    } finally {
      await moduleRef.close();
      await deletePrefix(admin, `pgw:read:{${pageId}}`);
      admin.disconnect();
    }
    expect(cache.health()).toMatchObject({ backend: 'redis', healthy: false, detail: 'closed' });
  });
});
