import { Redis, type RedisOptions } from 'ioredis';

/**
 * Options that keep a dead or slow Redis from hanging a request: no offline queue
 * (commands fail at once while disconnected), one retry per command, bounded command
 * and connect timeouts, and a capped reconnect backoff that never gives up.
 */
export function safeRedisOptions(commandTimeoutMs: number): RedisOptions {
  return {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: commandTimeoutMs,
    connectTimeout: Math.max(1000, commandTimeoutMs * 2),
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2000),
    lazyConnect: false,
  };
}

export function createRedis(url: string, commandTimeoutMs: number, connectionName: string): Redis {
  const redis = new Redis(url, { ...safeRedisOptions(commandTimeoutMs), connectionName });
  // Errors surface through commands and health; an unhandled 'error' event would crash the process.
  redis.on('error', () => undefined);
  return redis;
}

/** Resolves once the client is ready, or rejects after timeoutMs. */
export async function waitForReady(redis: Redis, timeoutMs: number): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new Error(`Redis not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
