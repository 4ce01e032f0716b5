import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { closedOnTimeout } from '../http/framework-errors.js';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import { keyNameOf, staleAgeOf } from '../context/request-context.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by @ReportsUnavailable(). */
    reportsUnavailable?: boolean;
  }
}

/**
 * On a route whose 503 reports a state (readiness: a dependency is down) rather than a failed
 * request: its 5xx answers are logged at warn.
 */
export const ReportsUnavailable = (): MethodDecorator & ClassDecorator =>
  RouteConfig({ reportsUnavailable: true });

/** nginx's "client closed request": the client left before the answer. */
const CLIENT_CLOSED_REQUEST = 499;

/** Genuine server failures at error; a route's reported unavailability at warn. */
export function responseLogLevel(
  status: number,
  reportsUnavailable: boolean,
): 'error' | 'warn' | 'info' {
  if (status < 500) return 'info';
  return reportsUnavailable ? 'warn' : 'error';
}

/**
 * One log line and one latency observation per HTTP request, with what the request did:
 * key name (never the key), route or GraphQL operation, status, duration, upstream calls
 * and cache outcome. A request the client abandoned (or the gateway closed with 408 while
 * its body arrived) gets its line at warn, with no latency observation: nothing was answered.
 */
export function installRequestLog(
  fastify: FastifyInstance,
  logger: Logger,
  metrics: GatewayMetrics,
): void {
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = routeOf(request);
    const durationMs = Math.round(reply.elapsedTime * 10) / 10;
    metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
    const line = { ...requestFields(request), status: reply.statusCode, durationMs };
    const reportsUnavailable = request.routeOptions.config?.reportsUnavailable === true;
    switch (responseLogLevel(reply.statusCode, reportsUnavailable)) {
      case 'error':
        logger.error(line, 'request failed');
        break;
      case 'warn':
        logger.warn(line, 'request answered unavailable');
        break;
      default:
        logger.info(line, 'request');
    }
    done();
  });
  fastify.addHook('onRequestAbort', (request, done) => {
    if (closedOnTimeout(request.raw.socket)) {
      logger.warn({ ...requestFields(request), status: 408 }, 'request timed out');
    } else {
      logger.warn(
        { ...requestFields(request), status: CLIENT_CLOSED_REQUEST },
        'request aborted by the client',
      );
    }
    done();
  });
}

function routeOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? 'unmatched';
}

function requestFields(request: FastifyRequest) {
  const context = request.gatewayContext;
  return {
    requestId: context?.requestId,
    key: keyNameOf(context),
    method: request.method,
    route: routeOf(request),
    operation: context?.operationName,
    upstreamCalls: context?.upstreamCalls ?? 0,
    cache: summarize(context?.reads.map((read) => read.outcome) ?? []),
    stale: context && staleAgeOf(context) !== undefined ? true : undefined,
    upstreamFailure: context?.upstreamFailure,
  };
}

function summarize(outcomes: readonly string[]): string | undefined {
  if (outcomes.length === 0) return undefined;
  return [...new Set(outcomes)].join(',');
}
