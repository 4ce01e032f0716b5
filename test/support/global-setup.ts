import { Redis } from 'ioredis';

async function redisAnswers(url: string): Promise<boolean> {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

/** Probes Redis once per run; workers read the answer from PGW_TEST_REDIS. */
export default async function globalSetup(): Promise<void> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const ok = await redisAnswers(url);
  process.env.PGW_TEST_REDIS = ok ? '1' : '0';
  if (ok) return;
  const line = `Redis does not answer at ${url}`;
  if (process.env.CI === 'true')
    throw new Error(`${line}: CI=true requires Redis for the Redis suites`);
  process.stderr.write(
    `\n${'!'.repeat(78)}\n!!! ${line}: every Redis-backed test is SKIPPED.\n!!! Start one (redis-server --port 6379 --save "") or set REDIS_URL.\n${'!'.repeat(78)}\n\n`,
  );
}
