import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ReadCache } from '../../cache/read-cache.js';
import { ResponseCache } from '../../cache/response-cache.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import type { RequestWithCaller } from '../auth/api-key.guard.js';
import { type ApiKeyVerifier, bearerKey } from '../auth/api-key-verifier.js';
import { callerOf } from '../auth/caller.js';
import { cacheHeadersOf } from './cache-headers.js';
import type { ApiKeyGrant } from '../../config/api-keys.js';

declare module 'fastify' {
  interface FastifyRequest {
    replayKey?: string;
  }
}

const REPLAYABLE_ROUTES = new Set([
  '/v1/pages/:pageId/customers',
  '/v1/pages/:pageId/customers/:id',
]);
const REPLAYABLE_OUTCOMES = new Set(['hit', 'miss', 'coalesced']);

/** The normalized request of a cacheable read, or undefined: only GET reads and GraphQL POSTs qualify. */
export function replayableRequestOf(request: FastifyRequest): string | undefined {
  const route = request.routeOptions.url;
  if (request.method === 'GET' && route && REPLAYABLE_ROUTES.has(route)) {
    const [path, query = ''] = request.url.split('?', 2);
    const params = new URLSearchParams(query);
    params.sort(); // by name, stable: repeats keep their order
    return `rest|${path}?${params.toString()}`;
  }
  if (
    request.method === 'POST' &&
    route === '/graphql' &&
    request.body &&
    typeof request.body === 'object'
  ) {
    const { query, variables, operationName, extensions } = request.body as Record<string, unknown>;
    if (typeof query !== 'string') return undefined;
    // A persisted-query hash changes the answer (a wrong one is an error): it is part of the key.
    const digest = createHash('sha256')
      .update(
        JSON.stringify([
          query,
          variables ?? null,
          operationName ?? null,
          persistedQueryHashOf(extensions),
        ]),
      )
      .digest('base64url');
    return `gql|${digest}`;
  }
  return undefined;
}

function persistedQueryHashOf(extensions: unknown): unknown {
  if (!extensions || typeof extensions !== 'object') return null;
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (!persisted || typeof persisted !== 'object') return null;
  return (persisted as { sha256Hash?: unknown }).sha256Hash ?? null;
}

function hasReadAccess(grant: ApiKeyGrant, pageIds: readonly string[]): boolean {
  return grant.pages === null || pageIds.every((id) => grant.pages!.has(id));
}

/**
 * Whole-response caching for cached reads (REST list/get and GraphQL queries): a repeated read
 * is answered from its serialized bytes in a preHandler hook. Misses run the full pipeline, and
 * onSend keeps the bytes when every read behind them came from (or went into) the read cache.
 */
export function installResponseReplay(
  fastify: FastifyInstance,
  config: GatewayConfig,
  readCache: ReadCache,
  metrics: GatewayMetrics,
  verifier: ApiKeyVerifier,
): ResponseCache {
  // Replay bytes count against the same budget as the read cache they are built from.
  const cache = new ResponseCache(config.cache.maxEntries, readCache.budget);
  const generationOf = (pageId: string): Promise<number | null> =>
    readCache.currentGeneration(pageId);

  fastify.addHook('preHandler', async (request, reply) => {
    const replayable = replayableRequestOf(request);
    if (!replayable) return;
    const key = bearerKey(request.headers.authorization);
    const grant = key ? verifier.verify(key) : null;
    if (!grant) return; // the guard answers 401 on the normal path
    // Verified once: the guard and the GraphQL context find the caller set.
    (request as RequestWithCaller).caller = callerOf(grant);
    if (request.gatewayContext) request.gatewayContext.keyName = grant.name;
    // The key name is part of the key: a response is only ever replayed to the key it was made for.
    const replayKey = `${grant.name}|${replayable}`;
    const hit = await cache.get(replayKey, generationOf);
    if (
      !hit ||
      !hasReadAccess(
        grant,
        hit.deps.map((d) => d.pageId),
      )
    ) {
      request.replayKey = replayKey;
      return;
    }
    const context = request.gatewayContext;
    if (context) {
      context.cacheOutcomes.push('hit');
    }
    metrics.cacheEvents.inc({ outcome: 'hit' });
    await reply
      .code(200)
      .header('content-type', hit.contentType)
      .header('x-cache', 'HIT')
      .send(hit.payload);
    return reply;
  });

  fastify.addHook('onSend', async (request, reply, payload) => {
    const context = request.gatewayContext;
    // REST reads get X-Cache from their interceptor; GraphQL answers get it here.
    if (context && request.routeOptions.url === '/graphql')
      void reply.headers(cacheHeadersOf(context));
    if (!request.replayKey || !context || reply.statusCode !== 200 || typeof payload !== 'string')
      return payload;
    const deps = context.cacheDeps;
    const replayable =
      context.replayable !== false &&
      !context.stale &&
      deps.length > 0 &&
      deps.every((d) => d.generation !== null) &&
      context.cacheOutcomes.every((o) => REPLAYABLE_OUTCOMES.has(o));
    if (!replayable) return payload;
    const bytes = Buffer.from(payload);
    cache.set(request.replayKey, {
      payload: bytes,
      contentType: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
      deps: deps.map((d) => ({ pageId: d.pageId, generation: d.generation as number })),
      expiresAt: Date.now() + Math.min(...deps.map((d) => d.freshForMs)),
    });
    // Sent as the bytes just made: the socket would otherwise encode the string a second time.
    return bytes;
  });
  return cache;
}
