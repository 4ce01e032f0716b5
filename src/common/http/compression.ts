import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import { Negotiator } from '@fastify/accept-negotiator';
import type { FastifyReply } from 'fastify';

/** Codings the gateway answers in, preferred first when the client weighs them equally. */
export const ENCODINGS = ['br', 'gzip'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/** Brotli's default (11) costs ~20x the CPU of 4 for a few percent fewer bytes on JSON. */
export const BROTLI_QUALITY = 4;

export const BROTLI_OPTIONS = {
  params: { [zlibConstants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY },
} as const;

const negotiator = new Negotiator<Encoding>({ supportedValues: [...ENCODINGS] });
// As @fastify/compress reads the header, so a replayed answer and a fresh one agree.
const GZIP_ALIASES = /\*|x-gzip/gu;

/**
 * The coding to answer in for an Accept-Encoding header, or undefined for the plain bytes:
 * no header, `identity`, or every offered coding refused with `q=0`.
 */
export function negotiateEncoding(acceptEncoding: string | undefined): Encoding | undefined {
  if (!acceptEncoding) return undefined;
  return (
    negotiator.negotiate(acceptEncoding.toLowerCase().replace(GZIP_ALIASES, 'gzip')) ?? undefined
  );
}

/** The body in the given coding (synchronous: bodies here are a few hundred KB at most). */
export function encodeBody(body: Buffer, encoding: Encoding): Buffer {
  return encoding === 'br' ? brotliCompressSync(body, BROTLI_OPTIONS) : gzipSync(body);
}

/**
 * Adds `accept-encoding` to Vary, keeping what is there (CORS sets `Origin`). Lower case on
 * purpose: @fastify/compress looks for that exact spelling before adding its own.
 */
export function varyOnEncoding(reply: FastifyReply): void {
  const current = reply.getHeader('vary');
  if (current === undefined) {
    void reply.header('vary', 'accept-encoding');
    return;
  }
  const values = (Array.isArray(current) ? current : [String(current)]).join(', ');
  if (/(^|,)\s*(accept-encoding|\*)\s*(,|$)/iu.test(values)) return;
  void reply.header('vary', `${values}, accept-encoding`);
}
