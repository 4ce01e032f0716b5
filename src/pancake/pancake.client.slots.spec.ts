import 'reflect-metadata';
import { ErrorCode } from '../common/errors/error-code.js';
import { loadConfig } from '../config/load-config.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { LimiterHealth, PageRateLimiter, SlotGrant } from './limiter/page-rate-limiter.js';
import {
  type HttpMethod,
  type PancakeHttp,
  type SendOptions,
  SlotMissedError,
  type UpstreamResponse,
} from './pancake-http.js';
import { PancakeTransport } from './pancake-transport.js';
import { PancakeClient } from './pancake.client.js';
import type { RawCustomer, RawNote } from './pancake.raw.js';

const PAGE = '111';
const CUSTOMER = { id: '6f1c2a3e-4b5d-4e6f-8a7b-9c0d1e2f3a4b', insertedAt: '2025-03-01T10:00:00' };
const MAX_RETRIES = 3;

/** Grants whose departure is missed as scripted: missed(n) for the n-th acquire (1-based). */
class ScriptedLimiter implements PageRateLimiter {
  acquired = 0;

  constructor(private readonly missed: (n: number) => boolean) {}

  async acquire(): Promise<SlotGrant> {
    this.acquired += 1;
    const miss = this.missed(this.acquired);
    return { waitedMs: 0, slotAt: Date.now(), mayDepart: () => !miss };
  }
  async pause(): Promise<void> {}
  queueLength(): number {
    return 0;
  }
  health(): LimiterHealth {
    return { backend: 'scripted', healthy: true };
  }
  async close(): Promise<void> {}
}

/** PancakeHttp.send as the departure gate makes it: a closed gate writes nothing. */
class FakeUpstream {
  readonly sent: string[] = [];
  readonly notes: RawNote[] = [];

  async connectionShare(): Promise<() => void> {
    return () => undefined;
  }

  async send(
    method: HttpMethod,
    url: URL,
    body?: unknown,
    options: SendOptions = {},
  ): Promise<UpstreamResponse> {
    if (options.gate && !options.gate()) throw new SlotMissedError();
    this.sent.push(method);
    if (method === 'POST') {
      const { message } = body as { message: string };
      this.notes.push({ id: `note-${this.notes.length + 1}`, message, created_at: Date.now() });
    }
    if (method !== 'GET') return { status: 200, body: { success: true } };
    const customer: RawCustomer = {
      id: CUSTOMER.id,
      psid: '1234567890123456',
      inserted_at: CUSTOMER.insertedAt,
      notes: [...this.notes],
    };
    return { status: 200, body: { total: 1, customers: [customer], success: true } };
  }
}

function clientWith(limiter: PageRateLimiter, upstream: FakeUpstream) {
  const config = loadConfig({
    PANCAKE_BASE_URL: 'http://pancake.invalid/api/public_api/v1',
    PANCAKE_PAGE_TOKENS: `${PAGE}=page-token-111`,
    PANCAKE_MAX_RETRIES: String(MAX_RETRIES),
    PANCAKE_RETRY_BASE_MS: '1',
  });
  const metrics = new GatewayMetrics({ defaultMetrics: false });
  const http = upstream as unknown as PancakeHttp;
  const client = new PancakeClient(config, new PancakeTransport(config, limiter, http, metrics));
  const retries = async () =>
    (await metrics.upstreamRetries.get()).values.reduce((sum, v) => sum + v.value, 0);
  return { client, retries };
}

const locator = { id: CUSTOMER.id, insertedAt: new Date(`${CUSTOMER.insertedAt}Z`) };

describe('PancakeClient: requests that miss their rate-limit slot', () => {
  it('takes a new slot for a request that missed its own, sends it once, and counts no retry', async () => {
    const limiter = new ScriptedLimiter((n) => n <= 2);
    const upstream = new FakeUpstream();
    const { client, retries } = clientWith(limiter, upstream);
    expect(await client.findCustomer(PAGE, locator)).toMatchObject({ id: CUSTOMER.id });
    expect(limiter.acquired).toBe(3);
    expect(upstream.sent).toEqual(['GET']);
    expect(await retries()).toBe(0);
  });

  it('posts a note once when its POST missed slots: a missed request was never sent', async () => {
    // Acquires 1 and 2: the POST misses twice; 3: it leaves.
    const limiter = new ScriptedLimiter((n) => n <= 2);
    const upstream = new FakeUpstream();
    const { client, retries } = clientWith(limiter, upstream);
    await client.postNote(PAGE, CUSTOMER.id, 'call back at 5');
    expect(upstream.sent).toEqual(['POST']);
    expect(upstream.notes).toHaveLength(1);
    expect(limiter.acquired).toBe(3);
    expect(await retries()).toBe(0);
  });

  it('under a permanent stall, takes at most 3 slots per attempt and fails after the retries, sending nothing', async () => {
    const limiter = new ScriptedLimiter(() => true);
    const upstream = new FakeUpstream();
    const { client, retries } = clientWith(limiter, upstream);
    await expect(client.findCustomer(PAGE, locator)).rejects.toMatchObject({
      code: ErrorCode.UPSTREAM_ERROR,
    });
    expect(limiter.acquired).toBe(3 * (MAX_RETRIES + 1));
    expect(upstream.sent).toEqual([]);
    expect(await retries()).toBe(MAX_RETRIES);
  });

  it('retries a note create that kept missing its slots: not sent, so sending it again is safe', async () => {
    // The POST misses its first 3 slots (one failed attempt), then leaves on a retry.
    const limiter = new ScriptedLimiter((n) => n <= 3);
    const upstream = new FakeUpstream();
    const { client, retries } = clientWith(limiter, upstream);
    await client.postNote(PAGE, CUSTOMER.id, 'hello');
    expect(upstream.sent).toEqual(['POST']);
    expect(upstream.notes).toHaveLength(1);
    expect(await retries()).toBe(1);
  });
});
