import {
  applyDecorators,
  CallHandler,
  ExecutionContext,
  Injectable,
  NestInterceptor,
  UseInterceptors,
} from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { HeadersObject } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Observable, tap } from 'rxjs';
import {
  currentRequestContext,
  staleAgeOf,
  type ReadOutcome,
  type RequestContext,
} from '../common/context/request-context.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set by @CachedRead(): the route's answers may be replayed (see response-replay.ts). */
    replay?: boolean;
  }
}

// The least-fresh outcome names the response: one miss among hits means upstream was asked.
const OUTCOME_PRECEDENCE: readonly ReadOutcome[] = ['stale', 'miss', 'bypass', 'coalesced', 'hit'];
// bypass: the shared cache was down and upstream answered, which is a miss to the client.
const HEADER_BY_OUTCOME: Record<ReadOutcome, string> = {
  stale: 'STALE',
  miss: 'MISS',
  bypass: 'MISS',
  coalesced: 'COALESCED',
  hit: 'HIT',
};
const STALE_WARNING = '110 - "Response is stale"';

/** Response headers saying how the read cache answered the reads behind a response. */
export function cacheHeadersOf(
  context: Pick<RequestContext, 'reads' | 'dataSource'>,
): Record<string, string> {
  return { ...readCacheHeadersOf(context), ...dataSourceHeaderOf(context) };
}

/** X-Data-Source: where the customer reads behind a response were answered from. */
function dataSourceHeaderOf(context: Pick<RequestContext, 'dataSource'>): Record<string, string> {
  return context.dataSource ? { 'X-Data-Source': context.dataSource.toLowerCase() } : {};
}

function readCacheHeadersOf(context: Pick<RequestContext, 'reads'>): Record<string, string> {
  const staleAge = staleAgeOf(context);
  if (staleAge !== undefined) {
    return {
      'X-Cache': 'STALE',
      Age: String(Math.max(0, Math.floor(staleAge))),
      Warning: STALE_WARNING,
      'X-Gateway-Stale': 'true',
    };
  }
  const outcomes = new Set(context.reads.map((read) => read.outcome));
  const outcome = OUTCOME_PRECEDENCE.find((candidate) => outcomes.has(candidate));
  return outcome ? { 'X-Cache': HEADER_BY_OUTCOME[outcome] } : {};
}

/** Sets the cache headers on a REST read once its handler has answered. */
@Injectable()
export class CacheHeadersInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    return next.handle().pipe(
      tap(() => {
        const requestContext = request.gatewayContext ?? currentRequestContext();
        if (requestContext) void reply.headers(cacheHeadersOf(requestContext));
      }),
    );
  }
}

/**
 * A REST read answered through the read cache: its response carries X-Cache (and the stale
 * headers), and a repeated read may be replayed from its bytes.
 */
export const CachedRead = (): MethodDecorator & ClassDecorator =>
  applyDecorators(UseInterceptors(CacheHeadersInterceptor), RouteConfig({ replay: true }));

/** The same headers, for the OpenAPI description of a read's 200 response. */
export const CACHE_HEADERS_DOC: HeadersObject = {
  'X-Data-Source': {
    description:
      "Where the customers were read: mirror (the gateway's PostgreSQL copy) or upstream (Pancake, possibly through the read cache)",
    schema: { type: 'string', enum: ['mirror', 'upstream'] },
  },
  'X-Cache': {
    description:
      'How the read cache answered: HIT, MISS (upstream asked), COALESCED (joined an identical in-flight read) or STALE',
    schema: { type: 'string', enum: ['HIT', 'MISS', 'COALESCED', 'STALE'] },
  },
  Age: {
    description: 'Seconds since the stale copy was fetched (only with X-Cache: STALE)',
    schema: { type: 'integer', minimum: 0 },
  },
  Warning: {
    description:
      '110 - "Response is stale" (only with X-Cache: STALE): upstream failed, the last good copy is served',
    schema: { type: 'string' },
  },
  'X-Gateway-Stale': {
    description: '"true" when the response is a stale copy served because upstream failed',
    schema: { type: 'string', enum: ['true'] },
  },
};
