import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  PancakeHttp,
  UpstreamAnswerTooLarge,
  UpstreamNetworkError,
  type PancakeHttpOptions,
} from './pancake-http.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

const MIB = 1024 * 1024;

describe('PancakeHttp bounds on answer bodies', () => {
  let server: Server;
  let handler: Handler;
  let url: URL;
  let http: PancakeHttp;

  beforeAll(async () => {
    server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    url = new URL(`http://127.0.0.1:${port}/pages/111/page_customers?page_access_token=secret-tok`);
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  afterEach(async () => {
    await http.close();
  });

  const start = (options: Partial<PancakeHttpOptions> = {}): PancakeHttp =>
    (http = new PancakeHttp({ timeoutMs: 5_000, maxConnections: 4, ...options }));

  /** Writes 1 MiB chunks until the client goes away or `limit` bytes were written. */
  function flood(status: number, limit: number): { written: () => number; closed: Promise<void> } {
    let written = 0;
    let onClosed: () => void = () => undefined;
    const closed = new Promise<void>((resolve) => (onClosed = resolve));
    handler = async (_req, res) => {
      res.on('close', onClosed);
      res.writeHead(status, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(MIB, 0x20);
      while (written < limit && !res.destroyed) {
        written += chunk.length;
        if (!res.write(chunk))
          await new Promise((resolve) => res.once('drain', resolve).once('close', resolve));
      }
      res.end();
    };
    return { written: () => written, closed };
  }

  /** Sends `text` one byte every `everyMs`. */
  function drip(text: string, everyMs: number): void {
    handler = async (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      for (const byte of Buffer.from(text)) {
        if (res.destroyed) return;
        res.write(Buffer.from([byte]));
        await sleep(everyMs);
      }
      res.end();
    };
  }

  it('reads a good answer, even with a character split across chunks', async () => {
    start();
    handler = async (_req, res) => {
      const bytes = Buffer.from(JSON.stringify({ name: 'Nguyễn' }));
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(bytes.subarray(0, 13)); // inside the 3-byte "ễ"
      await sleep(20);
      res.end(bytes.subarray(13));
    };
    await expect(http.send('GET', url)).resolves.toMatchObject({
      status: 200,
      body: { name: 'Nguyễn' },
    });
  });

  it('refuses a 2xx body over the cap while it streams, and closes the connection', async () => {
    start({ maxResponseBytes: MIB });
    const upstream = flood(200, 200 * MIB);
    await expect(http.send('GET', url)).rejects.toBeInstanceOf(UpstreamAnswerTooLarge);
    await upstream.closed;
    expect(upstream.written()).toBeLessThan(200 * MIB);
  });

  it('refuses a 2xx whose Content-Length is over the cap without reading it', async () => {
    start({ maxResponseBytes: MIB });
    let closed = false;
    handler = (_req, res) => {
      res.on('close', () => (closed = true));
      res.writeHead(200, { 'content-length': String(50 * MIB) });
      res.write('{');
    };
    const error = await http.send('GET', url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamAnswerTooLarge);
    expect((error as Error).message).not.toContain('secret-tok');
    while (!closed) await sleep(5);
  });

  it('drops an oversized error body but keeps its status, so it is classified as before', async () => {
    start({ maxResponseBytes: MIB });
    const upstream = flood(503, 200 * MIB);
    await expect(http.send('GET', url)).resolves.toEqual({
      status: 503,
      retryAfterMs: undefined,
      body: undefined,
    });
    await upstream.closed;
  });

  it('fails a body that drips past the deadline, though every chunk comes in time', async () => {
    start({ bodyDeadlineMs: 200 });
    drip(JSON.stringify({ total: 0, customers: [], success: true }), 20);
    const error = await http.send('GET', url).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UpstreamNetworkError);
    expect(error).toMatchObject({ reason: 'timeout', sent: true });
    expect((error as UpstreamNetworkError).detail).toMatch(/within 200 ms/);
  });

  it('caps the body deadline with a per-call timeout', async () => {
    start({ bodyDeadlineMs: 60_000 });
    drip(JSON.stringify({ total: 0, customers: [], success: true }), 20);
    await expect(http.send('GET', url, undefined, { timeoutMs: 150 })).rejects.toMatchObject({
      reason: 'timeout',
    });
  });

  it('stops when the caller aborts, as an aborted request that may have been sent', async () => {
    start();
    drip('{"total":0,"customers":[],"success":true}', 50);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('deadline')), 100);
    const error = await http
      .send('GET', url, undefined, { signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ name: 'UpstreamNetworkError', reason: 'aborted', sent: true });
  });
});

describe('PancakeHttp network failures', () => {
  it('names a DNS failure and its host, as a request that was never sent', async () => {
    const http = new PancakeHttp({ timeoutMs: 5_000, maxConnections: 1 });
    // .invalid never resolves (RFC 6761): ENOTFOUND, or EAI_AGAIN without a resolver.
    const url = new URL('http://pancake.invalid/pages/111/page_customers?page_access_token=tok');
    const error = await http.send('GET', url, undefined).catch((e: unknown) => e);
    await http.close();
    expect(error).toMatchObject({ name: 'UpstreamNetworkError', reason: 'dns', sent: false });
    const { detail } = error as UpstreamNetworkError;
    expect(detail).toMatch(/^DNS lookup of pancake\.invalid failed \((ENOTFOUND|EAI_AGAIN)\)$/);
    expect(detail).not.toContain('tok');
  });
});
