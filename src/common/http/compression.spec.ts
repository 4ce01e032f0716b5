import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import type { FastifyReply } from 'fastify';
import { encodeBody, negotiateEncoding, varyOnEncoding } from './compression.js';

describe('negotiateEncoding', () => {
  it.each([
    ['gzip, deflate, br', 'br'],
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    // `*` is read as gzip, as @fastify/compress reads it
    ['*', 'gzip'],
  ])('%s -> %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });

  it.each([undefined, '', 'identity', 'deflate', 'gzip;q=0', 'br;q=0, gzip;q=0', '*;q=0'])(
    'answers plain for %p',
    (header) => {
      expect(negotiateEncoding(header)).toBeUndefined();
    },
  );
});

describe('encodeBody', () => {
  const body = Buffer.from(
    JSON.stringify({ nodes: Array.from({ length: 100 }, (_, i) => ({ i })) }),
  );

  it('round-trips in each coding, smaller than the input', () => {
    const br = encodeBody(body, 'br');
    const gzip = encodeBody(body, 'gzip');
    expect(brotliDecompressSync(br).equals(body)).toBe(true);
    expect(gunzipSync(gzip).equals(body)).toBe(true);
    expect(br.byteLength).toBeLessThan(body.byteLength / 4);
    expect(gzip.byteLength).toBeLessThan(body.byteLength / 4);
  });
});

describe('varyOnEncoding', () => {
  function fakeReply(vary?: string | string[]) {
    const headers = new Map<string, unknown>(vary === undefined ? [] : [['vary', vary]]);
    const reply = {
      getHeader: (name: string) => headers.get(name),
      header: (name: string, value: unknown) => {
        headers.set(name, value);
        return reply;
      },
    };
    return { reply: reply as unknown as FastifyReply, vary: () => headers.get('vary') };
  }

  it('sets it alone, keeps what CORS set, and adds it once', () => {
    const alone = fakeReply();
    varyOnEncoding(alone.reply);
    expect(alone.vary()).toBe('accept-encoding');
    const cors = fakeReply('Origin');
    varyOnEncoding(cors.reply);
    varyOnEncoding(cors.reply);
    expect(cors.vary()).toBe('Origin, accept-encoding');
    const listed = fakeReply(['Origin', 'Accept-Encoding']);
    varyOnEncoding(listed.reply);
    expect(listed.vary()).toEqual(['Origin', 'Accept-Encoding']);
    const any = fakeReply('*');
    varyOnEncoding(any.reply);
    expect(any.vary()).toBe('*');
  });
});
