import { createHash } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiKeyVerifier } from '../common/auth/api-key-verifier.js';
import { accessRefusal } from '../common/auth/page-access.js';
import { authenticationOf } from '../common/auth/request-authentication.js';
import type { ReadOutcome } from '../common/context/request-context.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { cacheHeadersOf } from './cache-headers.js';
import { ReadCache } from './read-cache.js';
import { ResponseCache } from './response-cache.js';

declare module 'fastify' {
  interface FastifyRequest {
    replayKey?: string;
  }
}

/** The GraphQL endpoint: its POSTed queries are replayable like the REST reads. */
const GRAPHQL_PATH = '/graphql';
const REPLAYABLE_OUTCOMES: ReadonlySet<ReadOutcome> = new Set(['hit', 'miss', 'coalesced']);

/** The normalized request of a cacheable read, or undefined: only GET reads and GraphQL POSTs qualify. */
export function replayableRequestOf(request: FastifyRequest): string | undefined {
  const route = request.routeOptions.url;
  if (request.method === 'GET' && request.routeOptions.config?.replay === true) {
    const [path, query = ''] = request.url.split('?', 2);
    const params = new URLSearchParams(query);
    params.sort(); // by name, stable: repeats keep their order
    return `rest|${path}?${params.toString()}`;
  }
  if (
    request.method === 'POST' &&
    route === GRAPHQL_PATH &&
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

/**
 * Whole-response caching for cached reads (REST routes marked @CachedRead() and GraphQL
 * queries): a repeated read is answered from its serialized bytes in a preHandler hook, for
 * the key it was made for and while that key may still read every page behind it. Misses run
 * the full pipeline, and onSend keeps the bytes when every read behind them came from (or went
 * into) the read cache.
 */
@Injectable()
export class ResponseReplay implements OnModuleInit {
  readonly cache: ResponseCache;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly readCache: ReadCache,
    private readonly metrics: GatewayMetrics,
    private readonly verifier: ApiKeyVerifier,
    config: GatewayConfig,
  ) {
    // Replay bytes count against the same budget as the read cache they are built from.
    this.cache = new ResponseCache(config.cache.maxEntries, readCache.budget);
  }

  onModuleInit(): void {
    this.install(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }

  private install(fastify: FastifyInstance): void {
    const generationOf = (pageId: string): Promise<number | null> =>
      this.readCache.currentGeneration(pageId);

    fastify.addHook('preHandler', async (request, reply) => {
      const replayable = replayableRequestOf(request);
      if (!replayable) return;
      const authentication = authenticationOf(request, this.verifier);
      if ('error' in authentication) return; // the guard answers 401 on the normal path
      const { caller } = authentication;
      // The key name is part of the key: a response is only ever replayed to the key it was made for.
      const replayKey = `${caller.keyName}|${replayable}`;
      const hit = await this.cache.get(replayKey, generationOf);
      if (!hit || hit.deps.some((dep) => accessRefusal(caller, dep.pageId, 'read') !== null)) {
        request.replayKey = replayKey;
        return;
      }
      request.gatewayContext?.reads.push(
        ...hit.deps.map((dep) => ({
          pageId: dep.pageId,
          outcome: 'hit' as const,
          generation: dep.generation,
          freshForMs: Math.max(0, hit.expiresAt - Date.now()),
        })),
      );
      this.metrics.cacheEvents.inc({ outcome: 'hit' });
      // Only upstream answers are kept for replay (mirror reads are not read-cache reads);
      // GraphQL answers carry it in extensions.dataSource, inside the bytes.
      if (replayable.startsWith('rest|')) void reply.header('x-data-source', 'upstream');
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
      if (context && request.routeOptions.url === GRAPHQL_PATH)
        void reply.headers(cacheHeadersOf(context));
      if (!request.replayKey || !context || reply.statusCode !== 200 || typeof payload !== 'string')
        return payload;
      const reads = context.reads;
      const replayable =
        context.replayable !== false &&
        reads.length > 0 &&
        reads.every((read) => read.generation !== null && REPLAYABLE_OUTCOMES.has(read.outcome));
      if (!replayable) return payload;
      const bytes = Buffer.from(payload);
      this.cache.set(request.replayKey, {
        payload: bytes,
        contentType: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
        deps: reads.map((read) => ({ pageId: read.pageId, generation: read.generation as number })),
        expiresAt: Date.now() + Math.min(...reads.map((read) => read.freshForMs)),
      });
      // Sent as the bytes just made: the socket would otherwise encode the string a second time.
      return bytes;
    });
  }
}
