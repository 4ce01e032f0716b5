import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_PIPE } from '@nestjs/core';
import { CacheModule } from './cache/cache.module.js';
import { ResponseReplayModule } from './cache/response-replay.module.js';
import { ApiKeyGuard } from './common/auth/api-key.guard.js';
import { AuthModule } from './common/auth/auth.module.js';
import type { Logger } from 'pino';
import { LoggingModule } from './common/logging/logging.module.js';
import { RequestContextModule } from './common/context/request-context.module.js';
import { HttpPipelineModule } from './common/http/http-pipeline.module.js';
import { RestExceptionFilter } from './common/http/rest-exception.filter.js';
import { createValidationPipe } from './common/http/validation.js';
import { GatewayGraphqlModule } from './common/graphql/gateway-graphql.module.js';
import { ConfigModule } from './config/config.module.js';
import { GatewayConfig } from './config/gateway-config.js';
import { CustomersGraphqlModule } from './customers/customers-graphql.module.js';
import { CustomersRestModule } from './customers/customers-rest.module.js';
import { DashboardModule } from './dashboard/dashboard.module.js';
import { HealthModule } from './health/health.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { MirrorApiModule } from './mirror/mirror.module.js';
import { FeedModule } from './feed/feed.module.js';
import { PagesModule } from './pages/pages.module.js';
import { ProductsModule } from './products/products.module.js';
import { RedisModule } from './infra/redis/redis.module.js';
import { DatabaseModule } from './infra/database/database.module.js';
import type { WebhookClock } from './webhooks/webhook-clock.js';
import { WebhooksModule } from './webhooks/webhooks.module.js';

/** Wires the feature modules around one validated configuration. */
@Module({})
export class AppModule {
  static forRoot(
    config: GatewayConfig,
    logger: Logger,
    options: { webhookClock?: WebhookClock } = {},
  ): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        RequestContextModule,
        AuthModule,
        LoggingModule.forRoot(logger),
        HttpPipelineModule,
        RedisModule,
        DatabaseModule,
        MetricsModule,
        CacheModule,
        ResponseReplayModule,
        HealthModule,
        GatewayGraphqlModule,
        CustomersGraphqlModule,
        CustomersRestModule,
        MirrorApiModule,
        PagesModule,
        FeedModule,
        WebhooksModule.forRoot(options.webhookClock),
        ProductsModule,
        DashboardModule,
      ],
      // Cross-cutting Nest parts, for both transports: one guard, one REST error filter, one pipe.
      providers: [
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_FILTER, useClass: RestExceptionFilter },
        { provide: APP_PIPE, useFactory: createValidationPipe },
      ],
    };
  }
}
