import { createHash } from 'node:crypto';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiKeyVerifier } from '../common/auth/api-key-verifier.js';
import { accessRefusal } from '../common/auth/page-access.js';
import { authenticationOf } from '../common/auth/request-authentication.js';
import type { ReadOutcome, RequestContext } from '../common/context/request-context.js';
import { negotiateEncoding, varyOnEncoding, type Encoding } from '../common/http/compression.js';
import {
  cacheControlOf,
  etagOf,
  mirrorEtagOf,
  ifNoneMatchMatches,
  maxAgeOf,
} from '../common/http/conditional.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { cacheHeadersOf } from './cache-headers.js';
import { ReadCache } from './read-cache.js';
import { ResponseCache, type ReplayableResponse } from './response-cache.js';

declare module 'fastify' {
  interface FastifyRequest {
    replayKey?: string;
    /** Answered from the response cache: its headers and bytes are final. */
    replayed?: boolean;
  }
}

/** The GraphQL endpoint: its POSTed queries are replayable like the REST reads. */
const GRAPHQL_PATH = '/graphql';
const REPLAYABLE_OUTCOMES: ReadonlySet<ReadOutcome> = new Set(['hit', 'miss', 'coalesced']);

/** Headers Apollo's CSRF prevention accepts on a GET query (its defaults). */
const PREFLIGHT_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name'] as const;

/**
 * The normalized request of a cacheable read, or undefined: only GET REST reads and GraphQL
 * queries (POST, or GET with a header Apollo's CSRF prevention accepts) qualify.
 */
export function replayableRequestOf(request: FastifyRequest): string | undefined {
  const route = request.routeOptions.url;
  if (request.method === 'GET' && route === GRAPHQL_PATH) return graphqlGetKeyOf(request);
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

/** A GraphQL GET by its query parameters, as sent (variables and extensions are JSON text there). */
function graphqlGetKeyOf(request: FastifyRequest): string | undefined {
  // A replay answers before Apollo runs: it must not let through what Apollo would refuse.
  if (!PREFLIGHT_HEADERS.some((name) => request.headers[name])) return undefined;
  const { query, variables, operationName, extensions } = (request.query ?? {}) as Record<
    string,
    unknown
  >;
  if (typeof query !== 'string') return undefined;
  const digest = createHash('sha256')
    .update(JSON.stringify([query, variables ?? null, operationName ?? null, extensions ?? null]))
    .digest('base64url');
  return `gqlget|${digest}`;
}

function persistedQueryHashOf(extensions: unknown): unknown {
  if (!extensions || typeof extensions !== 'object') return null;
  const persisted = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (!persisted || typeof persisted !== 'object') return null;
  return (persisted as { sha256Hash?: unknown }).sha256Hash ?? null;
}

/** A read answered in full: a REST read route (GET/HEAD) or an error-free GraphQL query. */
function isRead(request: FastifyRequest, context: RequestContext | undefined): boolean {
  if (request.routeOptions.url === GRAPHQL_PATH) return context?.replayable === true;
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    request.routeOptions.config?.replay === true
  );
}

/**
 * Whole-response caching for cached reads (REST routes marked @CachedRead() and GraphQL
 * queries): a repeated read is answered from its serialized bytes in a preHandler hook, for
 * the key it was made for and while that key may still read every page behind it. Misses run
 * the full pipeline, and onSend keeps the bytes when every read behind them came from (or went
 * into) the read cache.
 *
 * The representation headers are set here too, for every answer: Cache-Control (no-store unless
 * a read), and for reads a weak ETag of the bytes (If-None-Match that matches: 304, no body) and
 * Vary. A kept entry holds its ETag and its compressed variants, so a replay neither hashes nor
 * compresses again; other answers are compressed by @fastify/compress, whose route-level onSend
 * runs after this global one and leaves alone an answer whose Content-Encoding is set.
 */
@Injectable()
export class ResponseReplay implements OnModuleInit {
  readonly cache: ResponseCache;
  private readonly compressionThresholdBytes: number;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly readCache: ReadCache,
    private readonly metrics: GatewayMetrics,
    private readonly verifier: ApiKeyVerifier,
    config: GatewayConfig,
  ) {
    // Replay bytes count against the same budget as the read cache they are built from.
    this.cache = new ResponseCache(config.cache.maxEntries, readCache.budget);
    this.compressionThresholdBytes = config.http.compressionThresholdBytes;
  }

  /**
   * The mirror's page versions, for replaying mirror reads (set by the feature that reads the
   * mirror: the cache knows nothing of it). Unset: mirror reads are never replayed.
   */
  private mirrorVersionOf?: (pageId: string) => Promise<number | null>;

  useMirrorVersions(versionOf: (pageId: string) => Promise<number | null>): void {
    this.mirrorVersionOf = versionOf;
  }

  onModuleInit(): void {
    this.install(this.adapterHost.httpAdapter.getInstance<FastifyInstance>());
  }

  private install(fastify: FastifyInstance): void {
    const generationOf = (pageId: string, store?: 'mirror'): Promise<number | null> =>
      store === 'mirror'
        ? (this.mirrorVersionOf?.(pageId) ?? Promise.resolve(null))
        : this.readCache.currentGeneration(pageId);

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
          store: dep.store,
          freshForMs: Math.max(0, hit.expiresAt - Date.now()),
        })),
      );
      this.metrics.cacheEvents.inc({ outcome: 'hit' });
      // GraphQL answers carry their source in extensions.dataSource, inside the bytes.
      const fromMirror = hit.deps.some((dep) => dep.store === 'mirror');
      if (request.gatewayContext)
        request.gatewayContext.dataSource = fromMirror ? 'MIRROR' : 'UPSTREAM';
      if (replayable.startsWith('rest|'))
        void reply.header('x-data-source', fromMirror ? 'mirror' : 'upstream');
      request.replayed = true;
      await this.sendReplay(request, reply, replayKey, hit);
      return reply;
    });

    fastify.addHook('onSend', async (request, reply, payload) => {
      if (request.replayed) return payload;
      const context = request.gatewayContext;
      // REST reads get X-Cache from their interceptor; GraphQL answers get it here.
      if (context && request.routeOptions.url === GRAPHQL_PATH)
        void reply.headers(cacheHeadersOf(context));
      const read = isRead(request, context);
      const statusCode = reply.statusCode;
      // A route's own Cache-Control (the avatar redirect, static docs assets) stands, unless it failed.
      if (statusCode >= 400 || !reply.hasHeader('cache-control'))
        void reply.header(
          'cache-control',
          cacheControlOf({ read, statusCode, reads: context?.reads ?? [] }),
        );
      if (!read || statusCode !== 200) return payload;
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
      varyOnEncoding(reply);
      // Sent as bytes: the socket would otherwise encode the string a second time.
      const bytes = typeof payload === 'string' ? Buffer.from(payload) : payload;
      const etag = context?.dataSource === 'MIRROR' ? mirrorEtagOf(bytes) : etagOf(bytes);
      void reply.header('etag', etag);
      const kept = this.keep(request, reply, context, bytes, etag);
      if (ifNoneMatchMatches(request.headers['if-none-match'], etag)) return notModified(reply);
      const encoding = kept && this.encodingFor(request, bytes);
      if (!kept || !encoding || !request.replayKey) return bytes;
      void reply.header('content-encoding', encoding);
      return this.cache.variantOf(request.replayKey, kept, encoding);
    });
  }

  /** Keeps the bytes for replay when every read behind them came from (or went into) the read cache. */
  private keep(
    request: FastifyRequest,
    reply: FastifyReply,
    context: RequestContext | undefined,
    bytes: Buffer,
    etag: string,
  ): ReplayableResponse | undefined {
    if (!request.replayKey || !context) return undefined;
    const reads = context.reads;
    const replayable =
      context.replayable !== false &&
      reads.length > 0 &&
      reads.every((read) => read.generation !== null && REPLAYABLE_OUTCOMES.has(read.outcome));
    if (!replayable) return undefined;
    const entry: ReplayableResponse = {
      payload: bytes,
      contentType: String(reply.getHeader('content-type') ?? 'application/json; charset=utf-8'),
      etag,
      variants: new Map(),
      deps: reads.map((read) => ({
        pageId: read.pageId,
        generation: read.generation as number,
        store: read.store,
      })),
      expiresAt: Date.now() + Math.min(...reads.map((read) => read.freshForMs)),
    };
    this.cache.set(request.replayKey, entry);
    return entry;
  }

  /** The coding a request asked for, when the body is worth compressing. */
  private encodingFor(request: FastifyRequest, body: Buffer): Encoding | undefined {
    if (body.byteLength < this.compressionThresholdBytes) return undefined;
    return negotiateEncoding(request.headers['accept-encoding']);
  }

  /** A replay: 304 when the client holds these bytes, else the bytes in the coding asked for. */
  private async sendReplay(
    request: FastifyRequest,
    reply: FastifyReply,
    replayKey: string,
    hit: ReplayableResponse,
  ): Promise<void> {
    void reply
      .header('x-cache', 'HIT')
      .header('etag', hit.etag)
      .header('cache-control', maxAgeOf(hit.expiresAt - Date.now()));
    varyOnEncoding(reply);
    if (ifNoneMatchMatches(request.headers['if-none-match'], hit.etag)) {
      await reply.code(304).send();
      return;
    }
    void reply.code(200).header('content-type', hit.contentType);
    const encoding = this.encodingFor(request, hit.payload);
    if (!encoding) {
      await reply.send(hit.payload);
      return;
    }
    await reply
      .header('content-encoding', encoding)
      .send(this.cache.variantOf(replayKey, hit, encoding));
  }
}

/** The answer becomes 304 Not Modified: no body, so no body headers. */
function notModified(reply: FastifyReply): null {
  void reply.code(304);
  reply.removeHeader('content-type');
  reply.removeHeader('content-length');
  return null;
}
