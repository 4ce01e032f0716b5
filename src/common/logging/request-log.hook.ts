import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.js';

/**
 * One log line and one latency observation per HTTP request, with what the request did:
 * key name (never the key), route or GraphQL operation, status, duration, upstream calls
 * and cache outcome.
 */
export function installRequestLog(
  fastify: FastifyInstance,
  logger: Logger,
  metrics: GatewayMetrics,
): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const context = request.gatewayContext;
    const route = request.routeOptions.url ?? 'unmatched';
    const durationMs = Math.round(reply.elapsedTime * 10) / 10;
    metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    const line = {
      requestId: context?.requestId,
      key: context?.keyName,
      method: request.method,
      route,
      operation: context?.operationName,
      status: reply.statusCode,
      durationMs,
      upstreamCalls: context?.upstreamCalls ?? 0,
      cache: summarize(context?.cacheOutcomes ?? []),
      stale: context?.stale ? true : undefined,
    };
    if (reply.statusCode >= 500) logger.error(line, 'request failed');
    else logger.info(line, 'request');
    done();
  });
}

function summarize(outcomes: readonly string[]): string | undefined {
  if (outcomes.length === 0) return undefined;
  return [...new Set(outcomes)].join(',');
}
