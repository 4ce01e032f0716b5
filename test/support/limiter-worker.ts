/**
 * One "replica" for test/rate-limit-replicas.e2e-spec.ts: a RedisRateLimiter on its
 * own Redis connection driving list GETs for one page at the simulator.
 * Run: node --import tsx test/support/limiter-worker.ts, with env
 *   REDIS_URL, LIMITER_PREFIX, SIM_URL, PAGE_ID, PAGE_TOKEN,
 *   LIMIT (per second, default 5), IN_FLIGHT (default 5), DURATION_MS (default 6000).
 * Protocol on stdout, one JSON object per line: {"type":"ready"} once connected; after
 * "go" on stdin it runs for DURATION_MS, then prints {"type":"result", ...} and exits.
 */
import { createInterface } from 'node:readline';
import { ErrorCode } from '../../src/common/errors/error-code.js';
import { GatewayError } from '../../src/common/errors/gateway-error.js';
import { RedisRateLimiter } from '../../src/pancake/limiter/redis-rate-limiter.js';
import { RedisAvailability } from '../../src/infra/redis/redis-availability.js';
import { createRedis, waitForReady } from '../../src/infra/redis/redis-connection.js';

export interface WorkerResult {
  type: 'result';
  pid: number;
  /** ms each granted acquire waited. */
  waits: number[];
  /** Upstream status -> count. */
  statuses: Record<string, number>;
  refused: number;
  aborted: number;
  errors: string[];
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
  const inFlight = Number(env('IN_FLIGHT', '5'));
  const durationMs = Number(env('DURATION_MS', '6000'));
  const redis = createRedis(env('REDIS_URL'), 500, 'limiter-worker');
  await waitForReady(redis, 5000);
  const limiter = new RedisRateLimiter({
    redis: new RedisAvailability(redis, { timeoutMs: 500 }),
    limitPerSecond: limit,
    maxWaitMs: 10_000,
    fallbackPerSecond: 1,
    keyPrefix: env('LIMITER_PREFIX'),
  });
  const until = Math.floor(Date.now() / 1000) + 86_400;
  const listUrl =
    `${env('SIM_URL')}/pages/${pageId}/page_customers?page_access_token=${encodeURIComponent(env('PAGE_TOKEN'))}` +
    `&since=0&until=${until}&page_number=1&page_size=10`;

  // Warm up like a running replica: a cold process's first fetch spends 25-60 ms loading
  // undici, more than the 50 ms the spacing leaves for send jitter. '/' is not a Pancake
  // route, so the simulator neither logs nor counts it.
  await fetch(new URL('/', env('SIM_URL')))
    .then((response) => response.arrayBuffer())
    .catch(() => undefined);

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

  const result: WorkerResult = {
    type: 'result',
    pid: process.pid,
    waits: [],
    statuses: {},
    refused: 0,
    aborted: 0,
    errors: [],
    healthy: true,
  };
  const stop = new AbortController();
  const timer = setTimeout(() => stop.abort(), durationMs);

  const loop = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      try {
        result.waits.push((await limiter.acquire(pageId, { signal: stop.signal })).waitedMs);
      } catch (error) {
        if (stop.signal.aborted) result.aborted += 1;
        else if (error instanceof GatewayError && error.code === ErrorCode.RATE_LIMITED)
          result.refused += 1;
        else result.errors.push(String(error));
        continue;
      }
      try {
        const response = await fetch(listUrl);
        await response.arrayBuffer();
        result.statuses[response.status] = (result.statuses[response.status] ?? 0) + 1;
        if (response.status === 429) await limiter.pause(pageId, 1000);
      } catch (error) {
        result.errors.push(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, loop));
  clearTimeout(timer);
  result.healthy = limiter.health().healthy;
  await limiter.close();
  await redis.quit().catch(() => redis.disconnect());
  print(result);
}

main().catch((error: unknown) => {
  print({ type: 'error', message: String(error) });
  process.exitCode = 1;
});
