import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { GatewayConfig } from '../../config/gateway-config.js';
import { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import { installRequestContext } from '../context/request-context.hook.js';
import { GATEWAY_LOGGER } from '../logging/logging.module.js';
import { installRequestLog } from '../logging/request-log.hook.js';
import { installBodyParsers } from './body-parsers.js';
import { installLingeringClose } from './lingering-close.js';
import { installSecurityHeaders } from './security-headers.js';

/**
 * The per-request work that runs as Fastify hooks rather than through Nest's pipeline (it
 * must see every request, answered by a route or not, and stay off the hot path's allocations):
 * the request context (first: everything after runs inside it), security headers, JSON-only
 * body parsing, the lingering close of refused uploads, and the request's log line.
 */
@Injectable()
class HttpPipeline implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: GatewayConfig,
    private readonly metrics: GatewayMetrics,
    @Inject(GATEWAY_LOGGER) private readonly logger: Logger,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    installRequestContext(fastify, this.config.http.requestDeadlineMs);
    installSecurityHeaders(fastify);
    installBodyParsers(fastify);
    installLingeringClose(fastify);
    installRequestLog(fastify, this.logger, this.metrics);
  }
}

/** Installs the gateway's Fastify hooks when the app initializes (before it listens). */
@Module({ providers: [HttpPipeline] })
export class HttpPipelineModule {}
