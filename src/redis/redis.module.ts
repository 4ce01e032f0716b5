import { Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { GatewayConfig } from '../config/gateway-config.js';
import { createRedis } from './redis-connection.js';

/** Injection token: the shared ioredis client, or null when REDIS_URL is unset (embedded mode). */
export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS_CLIENT) private readonly redis: Redis | null) {}

  async onApplicationShutdown(): Promise<void> {
    if (!this.redis) return;
    await this.redis.quit().catch(() => this.redis?.disconnect());
  }
}

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
    RedisCloser,
  ],
  exports: [REDIS_CLIENT],
})
export class RedisModule {}
