import KeyvRedis, { createClient, Keyv, type RedisClientType } from '@keyv/redis';
import { createCache, type Cache } from 'cache-manager';
import { redisEntryCodec } from './cache-entry.js';

export interface KeyvRedisStore {
  cache: Cache;
  /** The node-redis client under @keyv/redis (separate from the app's ioredis client). */
  client: RedisClientType;
}

/**
 * cache-manager over Keyv over @keyv/redis, configured so a dead or slow Redis never hangs a
 * request. By default the adapter hangs: it connects lazily inside each call (no timeout) and
 * node-redis queues commands while offline. So we own the client and connect it ourselves:
 * - disableOfflineQueue: while not connected, every command rejects at once;
 * - commandOptions.timeout: a command that cannot be written rejects after commandTimeoutMs
 *   (node-redis does not time out a command already written, hence RedisBackend's own timeout);
 * - socket.connectTimeout and a capped reconnect backoff that gives up only once closed;
 * - connect() is called here, so the adapter sees `isOpen` and never connects inside a call;
 *   its own connectionTimeout only bounds that path if the client is ever closed;
 * - throwOnErrors on the adapter and on Keyv: failures reach us instead of reading as misses
 *   (cache-manager still swallows get errors, so it reports them through its 'get' event).
 * Keys are written as given (no Keyv namespace), values as tagged JSON so Dates survive.
 */
export function createKeyvRedisStore(
  url: string,
  commandTimeoutMs: number,
  isClosed: () => boolean,
): KeyvRedisStore {
  const client: RedisClientType = createClient({
    url,
    name: 'pancake-gateway-cache',
    disableOfflineQueue: true,
    commandOptions: { timeout: commandTimeoutMs },
    socket: {
      connectTimeout: Math.max(1000, commandTimeoutMs * 2),
      // Capped at 500 ms: node-redis cannot cancel a pending retry delay, so it outlives close().
      reconnectStrategy: (retries: number) =>
        isClosed() ? false : Math.min(50 * 2 ** retries, 500),
    },
  });
  // Errors surface through commands and health; an unhandled 'error' event would crash the process.
  client.on('error', () => undefined);
  client.connect().catch(() => undefined);
  const adapter = new KeyvRedis(client, {
    throwOnConnectError: true,
    throwOnErrors: true,
    connectionTimeout: commandTimeoutMs,
  });
  const keyv = new Keyv(adapter, {
    namespace: undefined,
    useKeyPrefix: false,
    throwOnErrors: true,
    serialize: redisEntryCodec.serialize,
    deserialize: redisEntryCodec.deserialize,
  });
  keyv.on('error', () => undefined);
  return { cache: createCache({ stores: [keyv] }), client };
}
