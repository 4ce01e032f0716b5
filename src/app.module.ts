import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CacheModule } from './cache/cache.module.js';
import { ApiKeyGuard } from './common/auth/api-key.guard.js';
import { AuthModule } from './common/auth/auth.module.js';
import type { Logger } from 'pino';
import { LoggingModule } from './common/logging/logging.module.js';
import { GatewayGraphqlModule } from './common/graphql/gateway-graphql.module.js';
import { ConfigModule } from './config/config.module.js';
import { GatewayConfig } from './config/gateway-config.js';
import { CustomersGraphqlModule } from './customers/customers-graphql.module.js';
import { CustomersRestModule } from './customers/customers-rest.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { RedisModule } from './infra/redis/redis.module.js';

/** Wires the feature modules around one validated configuration. */
@Module({})
export class AppModule {
  static forRoot(config: GatewayConfig, logger: Logger): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        AuthModule,
        LoggingModule.forRoot(logger),
        RedisModule,
        MetricsModule,
        CacheModule,
        HealthModule,
        GatewayGraphqlModule,
        CustomersGraphqlModule,
        CustomersRestModule,
      ],
      providers: [{ provide: APP_GUARD, useClass: ApiKeyGuard }],
    };
  }
}
