import { Redis } from 'ioredis';
import { RedisAvailability } from '../../src/infra/redis/redis-availability.js';
import { createRedis, waitForReady } from '../../src/infra/redis/redis-connection.js';

export const TEST_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Set by test/support/global-setup.ts after probing Redis once per run. */
export const redisAvailable = process.env.PGW_TEST_REDIS === '1';

/**
 * describe() for suites that need Redis: runs when Redis answered the global probe,
 * otherwise skipped (global-setup printed a loud line; under CI=true it failed the run).
 */
export const describeWithRedis: jest.Describe = redisAvailable ? describe : describe.skip;

/** A key prefix unique to one test, so parallel suites never share Redis keys. */
export function uniquePrefix(label: string): string {
  const random = Math.random().toString(36).slice(2, 8);
  return `pgw-test:${label}:${process.pid}:${Date.now().toString(36)}:${random}:`;
}

/** A plain client for test assertions and cleanup. */
export function testRedis(): Redis {
  const client = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  return client;
}

/** Deletes every key under a prefix (SCAN, never KEYS). */
export async function deletePrefix(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
    if (keys.length > 0) await client.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** The app's breaker over client, bounded like the app's (REDIS_COMMAND_TIMEOUT_MS 500). */
export function availabilityOf(
  client: Redis,
  options: { timeoutMs?: number; recheckMs?: number } = {},
): RedisAvailability {
  return new RedisAvailability(client, { timeoutMs: 500, ...options });
}

/** Two replicas' Redis (each its own connection and breaker), an admin client, and the suite's key prefix. */
export interface ReplicaConnections {
  prefix: string;
  a: RedisAvailability;
  b: RedisAvailability;
  admin: Redis;
}

/**
 * Opens the connections before the suite (configured as the app configures its client) and,
 * after it, deletes the suite's keys and closes them. Fields are set once beforeAll has run.
 */
export function replicaConnections(label: string): ReplicaConnections {
  const connections = { prefix: uniquePrefix(label) } as ReplicaConnections;
  const clients: Redis[] = [];
  beforeAll(async () => {
    clients.push(createRedis(TEST_REDIS_URL, 500, `${label}-spec-a`));
    clients.push(createRedis(TEST_REDIS_URL, 500, `${label}-spec-b`));
    await Promise.all(clients.map((client) => waitForReady(client, 2000)));
    [connections.a, connections.b] = clients.map((client) => availabilityOf(client));
    connections.admin = testRedis();
  });
  afterAll(async () => {
    connections.a.close();
    connections.b.close();
    await deletePrefix(connections.admin, connections.prefix);
    await Promise.all([...clients, connections.admin].map((client) => client.quit()));
  });
  return connections;
}

/** A port nothing listens on: the app's client configuration against a Redis that is down. */
export const UNREACHABLE_REDIS_URL = 'redis://127.0.0.1:6399';

/** The app's Redis at UNREACHABLE_REDIS_URL, opened before the suite and closed after. */
export function unreachableRedis(label: string): { redis: RedisAvailability } {
  const holder = {} as { redis: RedisAvailability };
  let client: Redis;
  beforeAll(() => {
    client = createRedis(UNREACHABLE_REDIS_URL, 500, label);
    holder.redis = availabilityOf(client);
  });
  afterAll(() => {
    holder.redis.close();
    client.disconnect();
  });
  return holder;
}

/** Resolves once condition() holds (polled every 20 ms); rejects after timeoutMs. */
export async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
