import { Inject, Injectable, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { PAGE_RATE_LIMITER, type PageRateLimiter } from './limiter/page-rate-limiter.js';
import { pageRateLimiterProviders } from './limiter/page-rate-limiter.provider.js';
import { PancakeHttp } from './pancake-http.js';
import { PancakeTransport } from './pancake-transport.js';
import { PancakeClient } from './pancake.client.js';

/** Closes upstream connections on shutdown and exposes limiter queue lengths to metrics. */
@Injectable()
class PancakeLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly http: PancakeHttp,
    private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
    @Inject(PAGE_RATE_LIMITER) private readonly limiter: PageRateLimiter,
  ) {}

  onModuleInit(): void {
    this.metrics.onScrape(() => {
      for (const page of this.config.pancake.pageTokens.keys()) {
        this.metrics.limiterQueue.set({ page }, this.limiter.queueLength(page));
      }
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.http.close();
  }
}

/** Everything that talks to Pancake. Nothing outside this module builds an upstream URL. */
@Module({
  providers: [
    ...pageRateLimiterProviders,
    {
      provide: PancakeHttp,
      inject: [GatewayConfig],
      useFactory: (config: GatewayConfig) =>
        new PancakeHttp({
          timeoutMs: config.pancake.requestTimeoutMs,
          maxConnections: config.pancake.maxConcurrency,
          maxConnectionsPerPage: config.pancake.maxConcurrencyPerPage,
          // Waiting for a connection share is queueing for the page's upstream capacity, like
          // waiting for a slot: same bound, and no more waiters than slots within it.
          connectionMaxWaitMs: config.pancake.rateLimitMaxWaitMs,
          connectionMaxQueuedPerPage: Math.ceil(
            (config.pancake.rateLimitPerSecond * config.pancake.rateLimitMaxWaitMs) / 1000,
          ),
          bodyDeadlineMs: config.pancake.bodyDeadlineMs,
          maxResponseBytes: config.pancake.maxResponseBytes,
        }),
    },
    PancakeTransport,
    PancakeClient,
    PancakeLifecycle,
  ],
  exports: [PancakeClient, PAGE_RATE_LIMITER],
})
export class PancakeModule {}
