import { applyDecorators } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { HeadersObject } from '@nestjs/swagger';
import { ENCODINGS } from './compression.js';

const CACHE_CONTROL_OF_READS: HeadersObject = {
  'Cache-Control': {
    description:
      '`private, max-age=<seconds left of the cache TTL>` for a cached read; `private, max-age=0` for a stale copy (with Age); `private, no-cache` for an answer the gateway did not keep',
    schema: { type: 'string' },
  },
};

const ETAG: HeadersObject = {
  ETag: {
    description: 'Weak validator of the body: send it back in If-None-Match to get 304',
    schema: { type: 'string', example: 'W/"3mX0y2b9f6TqvK1cHq4UeQ7wZ8a"' },
  },
};

const VARY: HeadersObject = {
  Vary: {
    description: 'Always names accept-encoding (and Origin where CORS applies)',
    schema: { type: 'string' },
  },
};

/** Headers of a read's 200 answer (X-Cache and the stale headers are documented beside it). */
export const READ_REPRESENTATION_HEADERS: HeadersObject = {
  ...ETAG,
  ...CACHE_CONTROL_OF_READS,
  ...VARY,
  'Content-Encoding': {
    description: `The coding of the body, when Accept-Encoding asked for one (${ENCODINGS.join(', ')}) and the body is at least COMPRESSION_THRESHOLD_BYTES`,
    schema: { type: 'string', enum: [...ENCODINGS] },
  },
};

/** Writes and errors are never stored by a client or a shared cache. */
export const NO_STORE_HEADERS: HeadersObject = {
  'Cache-Control': { description: 'no-store', schema: { type: 'string', enum: ['no-store'] } },
};

/**
 * A REST read that answers 304 to a matching If-None-Match (no body, no upstream request) and
 * compresses its body as Accept-Encoding asks.
 */
export function ApiConditionalRead(): MethodDecorator {
  return applyDecorators(
    ApiHeader({
      name: 'If-None-Match',
      required: false,
      description: 'ETag(s) of a copy the client holds; a match answers 304 with no body',
      schema: { type: 'string' },
    }),
    ApiHeader({
      name: 'Accept-Encoding',
      required: false,
      description: `br or gzip compress bodies of COMPRESSION_THRESHOLD_BYTES and more; identity or none: plain`,
      schema: { type: 'string', example: 'br, gzip' },
    }),
    ApiResponse({
      status: 304,
      description: 'Not Modified: the copy named by If-None-Match is current; no body',
      headers: { ...ETAG, ...CACHE_CONTROL_OF_READS, ...VARY },
    }),
  );
}
