import { jest } from '@jest/globals';
import { newRequestContext, runWithRequestContext } from '../common/context/request-context.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { loadConfig } from '../config/load-config.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { PageRateLimiter } from './limiter/page-rate-limiter.js';
import type { PancakeHttp, UpstreamResponse } from './pancake-http.js';
import { PancakeTransport, type UpstreamCall } from './pancake-transport.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const OK: UpstreamResponse = { status: 200, body: { success: true } };
const FAILED: UpstreamResponse = { status: 500, body: { success: false } };
const LIST: UpstreamCall = {
  operation: 'list',
  pageId: '111',
  method: 'GET',
  path: '/pages/111/page_customers',
};

/** A transport at the default schedule (base 1 s, 3 retries) over an upstream answering `answers` in turn. */
function harness(answers: UpstreamResponse[]) {
  const sentAt: number[] = [];
  const start = Date.now();
  const http = {
    connectionShare: async () => () => undefined,
    send: async () => {
      sentAt.push(Date.now() - start);
      return answers.shift() ?? OK;
    },
  };
  const limiter = {
    acquire: async () => ({ waitedMs: 0, slotAt: Date.now(), mayDepart: () => true }),
    pause: jest.fn(async () => undefined),
    queueLength: () => 0,
  };
  const config = loadConfig({ PANCAKE_PAGE_TOKENS: '111=token-111-abcdef' });
  const metrics = new GatewayMetrics({ defaultMetrics: false });
  const transport = new PancakeTransport(
    config,
    limiter as unknown as PageRateLimiter,
    http as unknown as PancakeHttp,
    metrics,
  );
  const retries = async () =>
    (await metrics.upstreamRetries.get()).values.reduce((sum, v) => sum + v.value, 0);
  return { transport, sentAt, limiter, retries };
}

/** Runs the call on fake time until it settles; what it answered or threw. */
async function settle(call: () => Promise<unknown>): Promise<unknown> {
  const outcome = call().then(
    (body) => body,
    (error: unknown) => error,
  );
  await jest.advanceTimersByTimeAsync(60_000);
  return outcome;
}

describe('PancakeTransport: the retry schedule', () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: T0 });
    // No jitter: the middle of ±20 %.
    jest.spyOn(Math, 'random').mockReturnValue(0.5);
  });
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('sends at 0, 1 s, 3 s and 7 s (backoff 1 s, 2 s, 4 s), then gives up', async () => {
    const { transport, sentAt, retries } = harness([FAILED, FAILED, FAILED, FAILED]);
    const error = await settle(() => transport.call(LIST));
    expect(error).toMatchObject({ code: ErrorCode.UPSTREAM_ERROR });
    expect(sentAt).toEqual([0, 1000, 3000, 7000]);
    expect(await retries()).toBe(3);
  });

  it('answers once a retry succeeds', async () => {
    const { transport, sentAt } = harness([FAILED, FAILED, OK]);
    expect(await settle(() => transport.call(LIST))).toEqual({ success: true });
    expect(sentAt).toEqual([0, 1000, 3000]);
  });

  it('keeps the jitter within ±20 % of each step', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    const early = harness([FAILED, FAILED, FAILED, FAILED]);
    await settle(() => early.transport.call(LIST));
    expect(early.sentAt).toEqual([0, 800, 2400, 5600]);
    jest.spyOn(Math, 'random').mockReturnValue(1);
    const late = harness([FAILED, FAILED, FAILED, FAILED]);
    await settle(() => late.transport.call(LIST));
    expect(late.sentAt).toEqual([0, 1200, 3600, 8400]);
  });

  it("waits for upstream's Retry-After when it is longer than the backoff, and pauses the page", async () => {
    const limited: UpstreamResponse = { status: 429, body: {}, retryAfterMs: 5000 };
    const { transport, sentAt, limiter } = harness([limited, OK]);
    expect(await settle(() => transport.call(LIST))).toEqual({ success: true });
    expect(sentAt).toEqual([0, 5000]);
    expect(limiter.pause).toHaveBeenCalledWith('111', 5000);
  });

  it('keeps its own backoff when Retry-After is shorter', async () => {
    const limited: UpstreamResponse = { status: 429, body: {}, retryAfterMs: 200 };
    const { transport, sentAt } = harness([limited, OK]);
    await settle(() => transport.call(LIST));
    expect(sentAt).toEqual([0, 1000]);
  });

  it('fails at once when the next retry cannot start within the request deadline', async () => {
    const { transport, sentAt, retries } = harness([FAILED, FAILED, FAILED, FAILED]);
    const context = newRequestContext('r1', T0 + 2500);
    let failedAt: number | undefined;
    const error = await settle(() =>
      runWithRequestContext(context, () =>
        transport.call(LIST).catch((e: unknown) => {
          failedAt = Date.now() - T0;
          throw e;
        }),
      ),
    );
    // The 2 s backoff after the second attempt (at 1 s) would end past the 2.5 s deadline.
    expect(error).toMatchObject({ code: ErrorCode.UPSTREAM_ERROR });
    expect(sentAt).toEqual([0, 1000]);
    expect(failedAt).toBe(1000);
    expect(await retries()).toBe(1);
  });

  it("fails at once with RATE_LIMITED and upstream's hint when its Retry-After outlasts the deadline", async () => {
    const limited: UpstreamResponse = { status: 429, body: {}, retryAfterMs: 10_000 };
    const { transport, sentAt } = harness([limited, OK]);
    const context = newRequestContext('r2', T0 + 5000);
    const error = await settle(() => runWithRequestContext(context, () => transport.call(LIST)));
    expect(error).toMatchObject({ code: ErrorCode.RATE_LIMITED, retryAfterSeconds: 10 });
    expect(sentAt).toEqual([0]);
  });

  it('sends nothing when too little of the deadline is left', async () => {
    const { transport, sentAt } = harness([]);
    const context = newRequestContext('r3', T0 + 10);
    const error = await settle(() => runWithRequestContext(context, () => transport.call(LIST)));
    expect(error).toMatchObject({ code: ErrorCode.UPSTREAM_ERROR });
    expect(sentAt).toEqual([]);
  });
});

describe('PancakeTransport: a failure that shows an earlier attempt landed', () => {
  const DELETE: UpstreamCall = {
    operation: 'note_delete',
    pageId: '111',
    method: 'DELETE',
    path: '/pages/111/page_customers/c/notes',
    landedEarlier: (failure) => failure.kind === 'not-found',
  };
  const NOT_FOUND: UpstreamResponse = { status: 404, body: { success: false } };

  beforeEach(() => jest.useFakeTimers({ now: T0 }));
  afterEach(() => jest.useRealTimers());

  it('counts the call as done after an attempt that may have acted', async () => {
    const { transport, sentAt } = harness([FAILED, NOT_FOUND]);
    expect(await settle(() => transport.call(DELETE))).toEqual({ success: true });
    expect(sentAt).toHaveLength(2);
  });

  it('is a failure like any other when no earlier attempt may have acted', async () => {
    const { transport } = harness([NOT_FOUND]);
    expect(await settle(() => transport.call(DELETE))).toMatchObject({
      code: ErrorCode.NOT_FOUND,
    });
  });

  it('never applies to a call that does not ask for it', async () => {
    const { transport } = harness([FAILED, NOT_FOUND]);
    const { landedEarlier: _omitted, ...plain } = DELETE;
    expect(await settle(() => transport.call(plain))).toMatchObject({
      code: ErrorCode.NOT_FOUND,
    });
  });
});

describe('PancakeTransport: background priority (the mirror sync)', () => {
  it('asks the limiter for a slot free now, never a queued one; clients may wait', async () => {
    const { transport, limiter } = harness([OK, OK]);
    const acquire = jest.fn(async () => ({
      waitedMs: 0,
      slotAt: Date.now(),
      mayDepart: () => true,
    }));
    limiter.acquire = acquire;
    await transport.call({ ...LIST, priority: 'background' });
    await transport.call(LIST);
    const waits = acquire.mock.calls.map((call) => (call as unknown[])[1]);
    expect(waits).toEqual([{ maxWaitMs: 0 }, { maxWaitMs: 10_000 }]);
  });
});
