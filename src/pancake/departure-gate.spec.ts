import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PancakeHttp, SlotMissedError, UpstreamNetworkError } from './pancake-http.js';

/**
 * The gate against real undici and a real local server: pins down what departure-gate.ts
 * relies on in undici (when onRequestStart runs, that throwing there writes nothing and
 * keeps the socket), so an undici upgrade that changes it fails here.
 */
describe('PancakeHttp departure gate', () => {
  let server: Server;
  let base: string;
  let http: PancakeHttp;
  const received: string[] = [];
  let connections = 0;
  /** Answers of requests to /held, kept until the test calls them. */
  const held: (() => void)[] = [];

  beforeAll(async () => {
    server = createServer((request, response) => {
      received.push(`${request.method} ${request.url}`);
      request.resume();
      request.on('end', () => {
        const answer = (): void => {
          response.setHeader('content-type', 'application/json');
          response.end('{"success":true}');
        };
        if (request.url === '/held') held.push(answer);
        else answer();
      });
    });
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  beforeEach(() => {
    received.length = 0;
    connections = 0;
    held.length = 0;
    http = new PancakeHttp({ timeoutMs: 5000, maxConnections: 1 });
  });
  afterEach(async () => {
    await http.close();
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends when the gate opens, asking it once', async () => {
    let asked = 0;
    const response = await http.send(
      'POST',
      new URL(`${base}/notes`),
      { message: 'hi' },
      {
        gate: () => {
          asked += 1;
          return true;
        },
      },
    );
    expect(response).toEqual({ status: 200, retryAfterMs: undefined, body: { success: true } });
    expect(asked).toBe(1);
    expect(received).toEqual(['POST /notes']);
  });

  it('a closed gate writes nothing: SlotMissedError, certainly not sent', async () => {
    const error = await http
      .send('POST', new URL(`${base}/notes`), { message: 'hi' }, { gate: () => false })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SlotMissedError);
    expect(error).toBeInstanceOf(UpstreamNetworkError);
    expect(error).toMatchObject({ reason: 'slot-missed', sent: false });
    expect(received).toEqual([]);
  });

  it('keeps the connection after a refusal: the next request reuses it', async () => {
    await http.send('GET', new URL(`${base}/warm`)); // a used keep-alive socket, as in production
    await expect(
      http.send('PUT', new URL(`${base}/refused`), { a: 1 }, { gate: () => false }),
    ).rejects.toBeInstanceOf(SlotMissedError);
    await http.send('GET', new URL(`${base}/after`), undefined, { gate: () => true });
    expect(received).toEqual(['GET /warm', 'GET /after']);
    expect(connections).toBe(1);
  });

  it('asks the gate when the request is written, not when it was handed over', async () => {
    // One connection, held by a request the server has not answered: the next one waits in undici.
    const busy = http.send('GET', new URL(`${base}/held`));
    const gateAsked: string[] = [];
    const queued = http.send('GET', new URL(`${base}/queued`), undefined, {
      gate: () => {
        gateAsked.push(`after ${received.join(', ')}`);
        return true;
      },
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(gateAsked).toEqual([]); // still waiting for the connection: not asked yet
    held[0]();
    await Promise.all([busy, queued]);
    expect(gateAsked).toEqual(['after GET /held']);
    expect(received).toEqual(['GET /held', 'GET /queued']);
  });

  it('without a gate, sends as before', async () => {
    const response = await http.send('DELETE', new URL(`${base}/x`), { note_id: 'n' });
    expect(response.status).toBe(200);
    expect(received).toEqual(['DELETE /x']);
  });
});
