import { jest } from '@jest/globals';
import type { Redis } from 'ioredis';
import { luaScript } from './lua-script.js';
import { RedisAvailability } from './redis-availability.js';
import { RedisCallTimeoutError, RedisUnavailableError } from './redis-failure.js';

/** The part of an ioredis client the breaker uses: status, PING, and custom commands. */
class FakeClient {
  status = 'ready';
  pings = 0;
  /** What the next PINGs answer. */
  pingReply: () => Promise<string> = async () => 'PONG';
  scriptCalls: unknown[][] = [];

  ping(): Promise<string> {
    this.pings += 1;
    return this.pingReply();
  }

  defineCommand(name: string): void {
    (this as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      this.scriptCalls.push(args);
      return Promise.resolve(1);
    };
  }

  asRedis(): Redis {
    return this as unknown as Redis;
  }
}

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 10.1.2.3:6379 redis://user:secret@host'), {
    code: 'ECONNREFUSED',
  });

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('RedisAvailability', () => {
  let client: FakeClient;
  let redis: RedisAvailability;
  beforeEach(() => {
    client = new FakeClient();
    redis = new RedisAvailability(client.asRedis(), { timeoutMs: 50, recheckMs: 40 });
  });
  afterEach(() => redis.close());

  it('runs calls while ready and bounds each one by its timeout', async () => {
    expect(redis.ready).toBe(true);
    expect(await redis.call(async () => 'value')).toBe('value');
    const hung = await redis.call(() => new Promise(() => undefined)).catch((e: unknown) => e);
    expect(hung).toBeInstanceOf(RedisCallTimeoutError);
    expect(redis.health()).toEqual({ healthy: false, reason: 'no answer within 50 ms' });
  });

  it('opens on the first failure: later calls fail fast without reaching Redis, with a safe reason', async () => {
    await expect(redis.call(() => Promise.reject(refused()))).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    });
    expect(redis.ready).toBe(false);
    expect(redis.reason).toBe('ECONNREFUSED');
    let sent = false;
    const error = await redis
      .call(async () => {
        sent = true;
      })
      .catch((e: unknown) => e);
    expect(sent).toBe(false);
    expect(error).toBeInstanceOf(RedisUnavailableError);
    expect((error as Error).message).toBe('Redis unavailable (ECONNREFUSED)');
    expect(JSON.stringify(redis.health())).not.toMatch(/10\.1\.2\.3|secret|redis:\/\//);
  });

  it('closes once a PING answers, trying no more than once per recheck interval', async () => {
    client.pingReply = () => Promise.reject(refused());
    await redis.call(() => Promise.reject(refused())).catch(() => undefined);
    expect(client.pings).toBe(0); // no PING before the recheck interval
    await until(() => client.pings >= 2);
    const opened = Date.now();
    const pingsSoFar = client.pings;
    expect(redis.ready).toBe(false);
    client.pingReply = async () => 'PONG';
    await until(() => redis.ready);
    expect(client.pings).toBe(pingsSoFar + 1);
    expect(Date.now() - opened).toBeGreaterThanOrEqual(30);
    expect(await redis.call(async () => 'again')).toBe('again');
    expect(redis.health()).toEqual({ healthy: true });
  });

  it('starts the PING from health() when one is due', async () => {
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      await redis.call(() => Promise.reject(refused())).catch(() => undefined);
      expect(redis.health()).toMatchObject({ healthy: false });
      expect(client.pings).toBe(0);
      jest.setSystemTime(Date.now() + 40); // due, while the probe timer has not run
      redis.health();
      expect(client.pings).toBe(1);
    } finally {
      jest.useRealTimers();
    }
  });

  it('fails fast while the connection is not ready, and needs no PING when it is back', async () => {
    client.status = 'reconnecting';
    expect(redis.ready).toBe(false);
    await expect(redis.call(async () => 'x')).rejects.toThrow(
      'Redis unavailable (connection not ready)',
    );
    expect(redis.health()).toEqual({ healthy: false, reason: 'connection not ready' });
    client.status = 'ready';
    expect(await redis.call(async () => 'x')).toBe('x');
    expect(client.pings).toBe(0);
  });

  it('runs Lua scripts like calls, and sends a cleanup even while open', async () => {
    const script = luaScript('pgwTestScript', 1, 'return 1');
    expect(await redis.run(script, ['k'], ['a'])).toBe(1);
    await redis.call(() => Promise.reject(refused())).catch(() => undefined);
    await expect(redis.run(script, ['k'], ['b'])).rejects.toBeInstanceOf(RedisUnavailableError);
    redis.cleanUp(script, ['k'], ['c']);
    expect(client.scriptCalls).toEqual([
      ['k', 'a'],
      ['k', 'c'],
    ]);
  });

  it('after close(), fails fast and stops probing', async () => {
    await redis.call(() => Promise.reject(refused())).catch(() => undefined);
    redis.close();
    await expect(redis.call(async () => 'x')).rejects.toThrow('Redis unavailable (closed)');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(client.pings).toBe(0);
  });
});
