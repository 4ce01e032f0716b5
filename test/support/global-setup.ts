import { Redis } from 'ioredis';
import pg from 'pg';

// Jest loads this file outside its module mapper, so it imports no test support (as databases.ts).
const TEST_POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

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

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A loud banner: some suites are skipped in this run (the line says which and why). */
function warnSkipped(line: string, hint: string): void {
  process.stderr.write(`\n${'!'.repeat(78)}\n!!! ${line}: ${hint}\n${'!'.repeat(78)}\n\n`);
}

/** Probes Redis and PostgreSQL once per run; workers read the answers from PGW_TEST_*. */
export default async function globalSetup(): Promise<void> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const [redisOk, postgresOk] = await Promise.all([
    redisAnswers(url),
    postgresAnswers(TEST_POSTGRES_URL),
  ]);
  process.env.PGW_TEST_REDIS = redisOk ? '1' : '0';
  process.env.PGW_TEST_POSTGRES = postgresOk ? '1' : '0';
  const ci = process.env.CI === 'true';
  if (!redisOk) {
    const line = `Redis does not answer at ${url}`;
    if (ci) throw new Error(`${line}: CI=true requires Redis for the Redis suites`);
    warnSkipped(
      line,
      'every Redis-backed test is SKIPPED.\n!!! Start one (redis-server --port 6379 --save "") or set REDIS_URL.',
    );
  }
  if (!postgresOk) {
    const where = new URL(TEST_POSTGRES_URL).host;
    const line = `PostgreSQL does not answer at ${where}`;
    if (ci) throw new Error(`${line}: CI=true requires PostgreSQL for the mirror suites`);
    warnSkipped(
      line,
      'every PostgreSQL variant of the mirror suites is SKIPPED.\n!!! Start one (trust auth, database test) or set TEST_DATABASE_URL.',
    );
  }
}
