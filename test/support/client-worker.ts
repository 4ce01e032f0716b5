/**
 * One "replica" for test/rate-limit-replicas.e2e-spec.ts: the gateway's own upstream path
 * (PancakeClient over a RedisRateLimiter and PancakeHttp) listing one page at the
 * simulator, optionally under a CPU hog (test/support/cpu-hog.ts).
 * Run: node --import tsx test/support/client-worker.ts, with env
 *   REDIS_URL, LIMITER_PREFIX, SIM_URL, PAGE_TOKENS (the simulator's pageTokensEnv), PAGE_ID,
 *   LIMIT (per second, default 5), IN_FLIGHT (default 5), DURATION_MS (default 5000),
 *   HOG_SEED (set: stall this process as the CPU stall spec does).
 * Protocol on stdout, one JSON object per line: {"type":"ready"} once connected; after
 * "go" on stdin it runs for DURATION_MS, then prints {"type":"result", ...} and exits.
 */
import 'reflect-metadata';
import { createInterface } from 'node:readline';
import { loadConfig } from '../../src/config/load-config.js';
import { GatewayMetrics } from '../../src/metrics/gateway-metrics.js';
import { RedisRateLimiter } from '../../src/pancake/limiter/redis-rate-limiter.js';
import { PancakeHttp } from '../../src/pancake/pancake-http.js';
import { PancakeTransport } from '../../src/pancake/pancake-transport.js';
import { PancakeClient } from '../../src/pancake/pancake.client.js';
import { RedisAvailability } from '../../src/infra/redis/redis-availability.js';
import { createRedis, waitForReady } from '../../src/infra/redis/redis-connection.js';
import { startCpuHog, type CpuHog } from './cpu-hog.js';

export interface ClientWorkerResult {
  type: 'result';
  pid: number;
  /** Calls answered. */
  calls: number;
  /** Failed calls: the gateway error code (or the error) of each. */
  errors: string[];
  /** Stalls made by the hog (none without HOG_SEED). */
  stalls: number;
  healthy: boolean;
}

function env(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
}

const print = (line: object): void => {
  process.stdout.write(`${JSON.stringify(line)}\n`);
};

async function main(): Promise<void> {
  const pageId = env('PAGE_ID');
  const limit = Number(env('LIMIT', '5'));
  const config = loadConfig({
    PANCAKE_BASE_URL: env('SIM_URL'),
    PANCAKE_PAGE_TOKENS: env('PAGE_TOKENS'),
    PANCAKE_RATE_LIMIT_PER_SECOND: String(limit),
    PANCAKE_RETRY_BASE_MS: '20',
  });
  const redis = createRedis(env('REDIS_URL'), 500, 'client-worker');
  await waitForReady(redis, 5000);
  const limiter = new RedisRateLimiter({
    redis: new RedisAvailability(redis, { timeoutMs: 500 }),
    limitPerSecond: limit,
    maxWaitMs: config.pancake.rateLimitMaxWaitMs,
    fallbackPerSecond: 1,
    keyPrefix: env('LIMITER_PREFIX'),
  });
  const http = new PancakeHttp({
    timeoutMs: config.pancake.requestTimeoutMs,
    maxConnections: config.pancake.maxConcurrency,
  });
  const client = new PancakeClient(
    config,
    new PancakeTransport(config, limiter, http, new GatewayMetrics({ defaultMetrics: false })),
  );
  const list = (pageNumber: number) =>
    client.listCustomers(pageId, {
      since: new Date('2023-01-01T00:00:00Z'),
      until: new Date('2026-12-31T00:00:00Z'),
      pageNumber,
      pageSize: 1,
      orderBy: 'inserted_at',
    });
  // Warm up like a running replica (module loading, the first connection); it takes a slot.
  await list(1);

  print({ type: 'ready', pid: process.pid });
  await new Promise<void>((resolve) => {
    const lines = createInterface({ input: process.stdin });
    lines.on('line', (line) => {
      if (line.trim() === 'go') {
        lines.close();
        resolve();
      }
    });
  });

  const result: ClientWorkerResult = {
    type: 'result',
    pid: process.pid,
    calls: 0,
    errors: [],
    stalls: 0,
    healthy: true,
  };
  const hogSeed = process.env.HOG_SEED;
  const hog: CpuHog | undefined = hogSeed
    ? startCpuHog({
        seed: Number(hogSeed),
        minStallMs: 20,
        maxStallMs: 300,
        maxGapMs: 2000,
        afterDispatch: { origin: new URL(env('SIM_URL')).origin, probability: 0.5 },
      })
    : undefined;
  const stopAt = Date.now() + Number(env('DURATION_MS', '5000'));
  let nextPageNumber = 2;
  const loop = async (): Promise<void> => {
    while (Date.now() < stopAt) {
      try {
        await list(nextPageNumber++);
        result.calls += 1;
      } catch (error) {
        result.errors.push(String((error as { code?: unknown }).code ?? error));
      }
    }
  };
  await Promise.all(Array.from({ length: Number(env('IN_FLIGHT', '5')) }, loop));
  result.stalls = hog?.stop().stalls.length ?? 0;
  result.healthy = limiter.health().healthy;
  await limiter.close();
  await http.close();
  await redis.quit().catch(() => redis.disconnect());
  print(result);
}

main().catch((error: unknown) => {
  print({ type: 'error', message: String(error) });
  process.exitCode = 1;
});
