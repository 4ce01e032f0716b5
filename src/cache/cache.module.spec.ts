import 'reflect-metadata';
import { Test } from '@nestjs/testing';
import { ConfigModule } from '../config/config.module.js';
import { loadConfig } from '../config/load-config.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { RedisModule } from '../infra/redis/redis.module.js';
import { CacheModule } from './cache.module.js';
import { ReadCache } from './read-cache.js';

async function boot(env: Record<string, string>) {
  const moduleRef = await Test.createTestingModule({
    imports: [ConfigModule.forRoot(loadConfig(env)), RedisModule, MetricsModule, CacheModule],
  }).compile();
  await moduleRef.init();
  return moduleRef;
}

describe('CacheModule', () => {
  it('provides an in-process ReadCache without REDIS_URL and counts outcomes', async () => {
    const moduleRef = await boot({});
    try {
      const cache = moduleRef.get(ReadCache);
      expect(cache.health()).toEqual({ backend: 'in-process', healthy: true });
      await cache.read('p1', { op: 'x' }, async () => 1);
      await cache.read('p1', { op: 'x' }, async () => 2);
      const metrics = moduleRef.get(GatewayMetrics);
      const text = await metrics.registry.getSingleMetricAsString('gateway_cache_events_total');
      expect(text).toContain('gateway_cache_events_total{outcome="miss"} 1');
      expect(text).toContain('gateway_cache_events_total{outcome="hit"} 1');
    } finally {
      await moduleRef.close();
    }
  });
});
