import { execFile } from 'node:child_process';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import request from 'supertest';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { ALL_TIME, bearer, startGateway, TEST_KEYS, type TestGateway } from './support/gateway.js';
import { capturingLogger } from './support/log-capture.js';
import { UNREACHABLE_REDIS_URL } from './support/redis.js';
import type { UploadResult } from './support/upload-client.js';

/** Bounds short enough to wait for: the request bound at its minimum, headers well under it. */
const BOUNDS = {
  REQUEST_TIMEOUT_MS: '1000',
  HEADERS_TIMEOUT_MS: '400',
  KEEP_ALIVE_TIMEOUT_MS: '400',
};
const TEN_MB = 10 * 1024 * 1024;

interface Received {
  /** Everything the server sent before it closed the connection. */
  text: string;
  /** A socket error seen on the way (a reset after the answer is allowed). */
  error?: string;
}

/** A raw connection: what the server sends is collected until it closes the socket. */
function connect(
  url: string,
  { allowHalfOpen = false } = {},
): { socket: net.Socket; closed: Promise<Received> } {
  // allowHalfOpen: the client ignores the server's FIN and keeps its side open.
  const socket = net.connect({ port: Number(new URL(url).port), host: '127.0.0.1', allowHalfOpen });
  let text = '';
  let error: string | undefined;
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
  socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code));
  const closed = new Promise<Received>((resolve) =>
    socket.once('close', () => resolve({ text, error })),
  );
  return { socket, closed };
}

/** Writes `line()` every `everyMs` until the socket closes. */
function drip(socket: net.Socket, line: (i: number) => string, everyMs = 100): void {
  let i = 0;
  const timer = setInterval(() => {
    if (socket.writable) socket.write(line(i++));
  }, everyMs);
  socket.once('close', () => clearInterval(timer));
}

function statusOf(text: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
}

function bodyOf(text: string): unknown {
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
}

const timedOut = { error: { code: 'REQUEST_TIMEOUT', message: expect.any(String) } };
const tooLarge = { error: { code: 'PAYLOAD_TOO_LARGE', message: expect.any(String) } };

const UPLOAD_CLIENT = fileURLToPath(new URL('./support/upload-client.ts', import.meta.url));

/** Runs test/support/upload-client.ts in its own process (see there why). */
async function upload(
  url: string,
  mode: string,
  count: number,
  bytes: number,
): Promise<UploadResult> {
  const { stdout } = await promisify(execFile)(process.execPath, [
    '--import',
    'tsx',
    UPLOAD_CLIENT,
    url,
    mode,
    String(count),
    String(bytes),
    TEST_KEYS.admin,
  ]);
  return JSON.parse(stdout) as UploadResult;
}

async function waitFor(predicate: () => boolean, limitMs = 5000): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (!predicate()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

interface LogLine {
  level: string;
  msg: string;
  route?: string;
  status?: number;
  context?: string;
}
const WARN = 'warn';
const ERROR = 'error';
const failing = (line: LogLine): boolean => line.level === 'error' || line.level === 'fatal';

describe('HTTP bounds: slow clients, connection caps, oversized bodies', () => {
  let sim: Simulator;
  let gateway: TestGateway;
  let logLines: () => LogLine[];
  let customerId: string;

  beforeAll(async () => {
    sim = await startSimulator({ customers: 20, rateLimitPerSecond: 1000 });
    gateway = await startGateway(
      sim,
      { ...BOUNDS, LOG_LEVEL: 'info', PANCAKE_RATE_LIMIT_PER_SECOND: '1000' },
      (config) => {
        const capture = capturingLogger(config);
        logLines = () => capture.lines().map((l) => JSON.parse(l) as LogLine);
        return { logger: capture.logger };
      },
    );
    const list = await request(gateway.url)
      .get('/v1/pages/111/customers')
      .query({ ...ALL_TIME, pageSize: 1 })
      .set('Authorization', bearer())
      .expect(200);
    customerId = (list.body as { nodes: { id: string }[] }).nodes[0].id;
  });
  afterAll(async () => {
    await gateway.close();
    await sim.close();
  });

  describe('slow clients', () => {
    it.each([
      ['with a key', `Authorization: ${bearer()}\r\n`],
      ['without a key', ''],
    ])(
      'answers headers that keep trickling in with 408 and closes (%s)',
      async (_, auth) => {
        const { socket, closed } = connect(gateway.url);
        socket.write(`GET /v1/pages/111/customers HTTP/1.1\r\nHost: gw\r\n${auth}`);
        drip(socket, (i) => `X-Slow-${i}: still coming\r\n`);
        const { text } = await closed;
        expect(statusOf(text)).toBe(408);
        expect(bodyOf(text)).toEqual(timedOut);
      },
      10_000,
    );

    it.each([
      ['with a key', `Authorization: ${bearer()}\r\n`],
      ['without a key', ''],
    ])(
      'answers a body that keeps trickling in with 408 and closes (%s)',
      async (_, auth) => {
        sim.clearLog();
        const body = JSON.stringify({ message: 'a note that arrives too late to be written' });
        const { socket, closed } = connect(gateway.url);
        socket.write(
          `POST /v1/pages/111/customers/${customerId}/notes HTTP/1.1\r\nHost: gw\r\n${auth}` +
            `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
        );
        drip(socket, (i) => body.charAt(i));
        const { text } = await closed;
        expect(statusOf(text)).toBe(408);
        expect(bodyOf(text)).toEqual(timedOut);
        // The request was cut off: nothing reached Pancake.
        expect(sim.requestLog().filter((e) => e.operation === 'note_create')).toHaveLength(0);
      },
      10_000,
    );

    it('closes an idle keep-alive connection after the keep-alive bound', async () => {
      const { socket, closed } = connect(gateway.url);
      socket.write('GET /health/live HTTP/1.1\r\nHost: gw\r\n\r\n');
      const { text } = await closed;
      expect(statusOf(text)).toBe(200);
      expect(text).not.toMatch(/^connection: close/im);
    }, 10_000);
  });

  describe('connection cap', () => {
    let capped: TestGateway;
    beforeAll(async () => {
      capped = await startGateway(sim, {
        MAX_CONNECTIONS: '2',
        KEEP_ALIVE_TIMEOUT_MS: '30000',
        HEADERS_TIMEOUT_MS: '30000',
      });
    });
    afterAll(() => capped.close());

    /** Sends one request on a new connection; resolves at the answer's headers or the close. */
    async function tryRequest(): Promise<{ socket: net.Socket; text: string }> {
      const { socket, closed } = connect(capped.url);
      let text = '';
      const answered = new Promise<void>((resolve) =>
        socket.on('data', (chunk: Buffer) => {
          text += chunk.toString('latin1');
          if (text.includes('\r\n\r\n')) resolve();
        }),
      );
      socket.write('GET /health/live HTTP/1.1\r\nHost: gw\r\n\r\n');
      await Promise.race([closed, answered]);
      return { socket, text };
    }

    it('closes connections over MAX_CONNECTIONS without an answer, and takes new ones once some close', async () => {
      const first = await tryRequest();
      const second = await tryRequest();
      expect(statusOf(first.text)).toBe(200);
      expect(statusOf(second.text)).toBe(200);
      const third = await tryRequest();
      expect(third.text).toBe('');
      expect(third.socket.destroyed).toBe(true);

      first.socket.destroy();
      let again = { socket: third.socket, text: '' };
      for (let attempt = 0; attempt < 20 && statusOf(again.text) !== 200; attempt += 1) {
        again.socket.destroy();
        await new Promise((resolve) => setTimeout(resolve, 50)); // the server sees the close
        again = await tryRequest();
      }
      expect(statusOf(again.text)).toBe(200);
      again.socket.destroy();
      second.socket.destroy();
    }, 30_000);
  });

  describe('oversized bodies', () => {
    const graphqlUrl = (): string => `${gateway.url}/graphql`;

    it.each([
      ['fetch with Content-Length', 'fetch', 20],
      ['fetch with a chunked body', 'chunked', 10],
      ['node:http with Expect: 100-continue', 'expect', 20],
    ])(
      'lets a client (%s) read the 413 for a 10 MB body, every time',
      async (_, mode, tries) => {
        const result = await upload(graphqlUrl(), mode, tries, TEN_MB);
        expect(result).toEqual({
          statuses: { 413: tries },
          codes: ['PAYLOAD_TOO_LARGE'],
          errors: [],
        });
      },
      60_000,
    );

    it('never sends 100 Continue for a Content-Length over the limit: 413 at once', async () => {
      const { socket, closed } = connect(gateway.url);
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: gw\r\nAuthorization: ${bearer()}\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${TEN_MB}\r\nExpect: 100-continue\r\n\r\n`,
      );
      const { text } = await closed;
      expect(text).not.toContain('100 Continue');
      expect(statusOf(text)).toBe(413);
      expect(text).toMatch(/^connection: close/im);
      expect(bodyOf(text)).toEqual(tooLarge);
    }, 10_000);

    it('still continues a small body sent with Expect: 100-continue', async () => {
      const body = JSON.stringify({ query: '{ __typename }' });
      const { socket, closed } = connect(gateway.url);
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: gw\r\nAuthorization: ${bearer()}\r\nConnection: close\r\n` +
          `Content-Type: application/json\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
      );
      expect(await waitFor(() => text.includes('\r\n\r\n'))).toBe(true);
      expect(text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\n$/);
      socket.write(body);
      const received = await closed;
      const final = received.text.slice(received.text.indexOf('\r\n\r\n') + 4);
      expect(statusOf(final)).toBe(200);
      expect(bodyOf(final)).toEqual({ data: { __typename: 'Query' } });
    }, 10_000);
  });

  describe('draining an unwanted body', () => {
    // REQUEST_TIMEOUT_MS at its default (30 s): only the drain bounds can close these.
    let patient: TestGateway;
    beforeAll(async () => {
      patient = await startGateway(sim, {});
    });
    afterAll(() => patient.close());

    const oversized = (framing: string): string =>
      `POST /graphql HTTP/1.1\r\nHost: gw\r\nAuthorization: ${bearer()}\r\n` +
      `Content-Type: application/json\r\n${framing}\r\n\r\n`;

    it('stops after 16 MiB of a body that never ends', async () => {
      const { socket, closed } = connect(patient.url, { allowHalfOpen: true });
      socket.write(oversized('Transfer-Encoding: chunked'));
      const chunk = `10000\r\n${'a'.repeat(0x10000)}\r\n`;
      const pump = (): void => {
        while (socket.writable && socket.write(chunk));
      };
      socket.on('drain', pump);
      pump();
      const { text } = await closed;
      expect(statusOf(text)).toBe(413);
      expect(bodyOf(text)).toEqual(tooLarge);
      expect(socket.bytesWritten).toBeGreaterThan(16 * 1024 * 1024);
    }, 15_000);

    it('stops after 5 s of a client that trickles on and ignores the close', async () => {
      const { socket, closed } = connect(patient.url, { allowHalfOpen: true });
      socket.write(`${oversized(`Content-Length: ${TEN_MB}`)}${'a'.repeat(100_000)}`);
      // Each byte after the server's close draws a reset, which ends the socket here.
      drip(socket, () => 'a', 200);
      const { text } = await closed;
      expect(statusOf(text)).toBe(413);
      expect(bodyOf(text)).toEqual(tooLarge);
    }, 15_000);
  });

  describe('log levels', () => {
    const linesSince = (start: number): LogLine[] => logLines().slice(start);

    it('logs a client that left while its answer was being prepared at warn, not error', async () => {
      const start = logLines().length;
      sim.injectFault({ kind: 'latency', latencyMs: 800, count: 1 });
      const { socket, closed } = connect(gateway.url);
      socket.write(
        `GET /v1/pages/222/customers?since=${ALL_TIME.since}&until=${ALL_TIME.until} HTTP/1.1\r\n` +
          `Host: gw\r\nAuthorization: ${bearer()}\r\n\r\n`,
      );
      setTimeout(() => socket.destroy(), 200);
      await closed;
      const aborted = (): LogLine | undefined =>
        linesSince(start).find((l) => l.route === '/v1/pages/:pageId/customers');
      expect(await waitFor(() => aborted() !== undefined)).toBe(true);
      expect(aborted()).toMatchObject({ level: WARN, status: 499 });
      await new Promise((resolve) => setTimeout(resolve, 1000)); // the upstream answer lands
      expect(linesSince(start).filter(failing)).toEqual([]);
    }, 10_000);

    it('logs a client that left mid-body at warn, not error', async () => {
      const start = logLines().length;
      const { socket, closed } = connect(gateway.url);
      socket.write(
        `POST /graphql HTTP/1.1\r\nHost: gw\r\nAuthorization: ${bearer()}\r\n` +
          `Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":`,
      );
      setTimeout(() => socket.destroy(), 200);
      await closed;
      const aborted = (): LogLine | undefined =>
        linesSince(start).find((l) => l.route === '/graphql');
      expect(await waitFor(() => aborted() !== undefined)).toBe(true);
      expect(aborted()).toMatchObject({ level: WARN, status: 499 });
      expect(linesSince(start).filter(failing)).toEqual([]);
    }, 10_000);

    it('keeps genuine 5xx at error', async () => {
      const start = logLines().length;
      sim.injectFault({ kind: 'status', status: 500, pageId: '333', count: 10 });
      await request(gateway.url)
        .get('/v1/pages/333/customers')
        .query(ALL_TIME)
        .set('Authorization', bearer())
        .expect(502);
      sim.clearFaults();
      const failed = (): LogLine | undefined =>
        linesSince(start).find((l) => l.route === '/v1/pages/:pageId/customers');
      expect(await waitFor(() => failed() !== undefined)).toBe(true);
      expect(failed()).toMatchObject({ level: ERROR, status: 502 });
    }, 10_000);

    it('logs a readiness 503 at warn', async () => {
      const sink: { lines: () => string[] } = { lines: () => [] };
      const degraded = await startGateway(
        sim,
        { REDIS_URL: UNREACHABLE_REDIS_URL, LOG_LEVEL: 'info' },
        (config) => {
          const capture = capturingLogger(config);
          sink.lines = capture.lines;
          return { logger: capture.logger };
        },
      );
      try {
        await request(degraded.url).get('/health/ready').expect(503);
        const ready = (): LogLine | undefined =>
          sink
            .lines()
            .map((l) => JSON.parse(l) as LogLine)
            .find((l) => l.route === '/health/ready');
        expect(await waitFor(() => ready() !== undefined)).toBe(true);
        expect(ready()).toMatchObject({ level: WARN, status: 503 });
      } finally {
        await degraded.close();
      }
    }, 15_000);
  });
});
