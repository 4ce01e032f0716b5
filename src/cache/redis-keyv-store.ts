import { createCache, type Cache } from 'cache-manager';
import { Keyv } from 'keyv';
import type { RedisAvailability } from '../infra/redis/redis-availability.js';
import { redisEntryCodec } from './cache-entry.js';

/** Keys deleted per UNLINK while clearing. */
const CLEAR_BATCH = 500;

/**
 * Keyv's storage contract (get, set with a TTL in ms, delete, clear) on the app's ioredis
 * client, every call through the availability breaker (bounded; refused at once while Redis is
 * unavailable). Keys are stored as given; values are what Keyv serialized (tagged JSON).
 * clear() removes the read cache's keys only (a SCAN of `pattern`), never the rest of Redis.
 */
export class RedisKeyvStore {
  /** Set by Keyv; unused (keys are stored as given). */
  namespace?: string;

  constructor(
    private readonly redis: RedisAvailability,
    private readonly pattern: string,
  ) {}

  async get(key: string): Promise<string | undefined> {
    return (await this.redis.call((client) => client.get(key))) ?? undefined;
  }

  async set(key: string, value: string, ttlMs?: number): Promise<boolean> {
    const reply = await this.redis.call((client) =>
      ttlMs === undefined
        ? client.set(key, value)
        : client.set(key, value, 'PX', Math.max(1, Math.ceil(ttlMs))),
    );
    return reply === 'OK';
  }

  async delete(key: string): Promise<boolean> {
    return (await this.redis.call((client) => client.del(key))) === 1;
  }

  async clear(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.call((client) =>
        client.scan(cursor, 'MATCH', this.pattern, 'COUNT', CLEAR_BATCH),
      );
      if (keys.length > 0) await this.redis.call((client) => client.unlink(...keys));
      cursor = next;
    } while (cursor !== '0');
  }
}

/**
 * cache-manager over Keyv over RedisKeyvStore: the read cache's entries in the shared Redis.
 * Failures reach the caller (cache-manager reads a failed get as a miss); the breaker has
 * already noted them, so nothing here needs to listen for swallowed errors.
 */
export function createRedisEntryCache(redis: RedisAvailability, pattern: string): Cache {
  const keyv = new Keyv({
    store: new RedisKeyvStore(redis, pattern),
    useKeyPrefix: false,
    throwOnErrors: true,
    serialize: redisEntryCodec.serialize,
    deserialize: redisEntryCodec.deserialize,
  });
  return createCache({ stores: [keyv] });
}
