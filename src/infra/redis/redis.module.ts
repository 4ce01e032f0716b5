import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { GatewayConfig } from '../../config/gateway-config.js';
import { RedisAvailability } from './redis-availability.js';
import { createRedis } from './redis-connection.js';

/** Injection token: the shared ioredis client, or null when REDIS_URL is unset (embedded mode). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/**
 * Injection token: the RedisAvailability every feature calls Redis through, or null when
 * REDIS_URL is unset (each feature then runs in-process).
 */
export const REDIS_AVAILABILITY = Symbol('REDIS_AVAILABILITY');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: Redis | null,
    @Inject(REDIS_AVAILABILITY) private readonly availability: RedisAvailability | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    this.availability?.close();
    if (!this.redis) return;
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

/** The one Redis connection of the process and its availability breaker. Imports no feature. */
@Global()
@Module({
  providers: [
    {
      provide: REDIS_CLIENT,
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig): Redis | null =>
        config.redis.url
          ? createRedis(config.redis.url, config.redis.commandTimeoutMs, 'pancake-gateway')
          : null,
    },
    {
      provide: REDIS_AVAILABILITY,
      inject: [GatewayConfig, REDIS_CLIENT],
      useFactory: (config: GatewayConfig, redis: Redis | null): RedisAvailability | null =>
        redis && new RedisAvailability(redis, { timeoutMs: config.redis.commandTimeoutMs }),
    },
    RedisCloser,
  ],
  exports: [REDIS_CLIENT, REDIS_AVAILABILITY],
})
export class RedisModule {}
