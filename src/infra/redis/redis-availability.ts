import type { Redis } from 'ioredis';
import { runLuaScript, type LuaScript } from './lua-script.js';
import { waitForReady } from './redis-connection.js';
import { describeRedisFailure, RedisUnavailableError, withTimeout } from './redis-failure.js';

export interface RedisAvailabilityOptions {
  /** Bound of every call, on top of the client's own commandTimeout (REDIS_COMMAND_TIMEOUT_MS). */
  timeoutMs: number;
  /** While open, PING Redis at most this often (default 1000 ms). */
  recheckMs?: number;
}

export interface RedisHealth {
  healthy: boolean;
  /** Why not: an error code or class, never a URL, a host or a credential. */
  reason?: string;
}

/**
 * Whether Redis can be used now, and the one way every feature calls it: a circuit breaker
 * shared by the limiter, the read cache and the customer stores, so one failure seen by any of
 * them spares the others the wait.
 *
 * Every call is bounded by timeoutMs. The first failure opens the breaker; while it is open,
 * and while the connection is not ready, calls fail at once with RedisUnavailableError without
 * touching Redis. While open, a PING (at most every recheckMs, also started by health()) closes
 * it once Redis answers again. A connection that comes back needs no PING: ioredis has checked
 * the server before it says ready.
 *
 * What to do meanwhile is each feature's policy (fallback share, bypass, 503, skip a
 * best-effort write); `ready` lets it decide without a promise (two field reads).
 */
export class RedisAvailability {
  private readonly timeoutMs: number;
  private readonly recheckMs: number;
  /** null while closed (no failure since the last answered probe); else a safe reason. */
  private failure: string | null = null;
  private probeTimer: NodeJS.Timeout | undefined;
  private nextProbeAt = 0;
  private probing = false;
  private closed = false;

  constructor(
    private readonly client: Redis,
    options: RedisAvailabilityOptions,
  ) {
    if (!(options.timeoutMs > 0)) throw new RangeError('timeoutMs must be > 0');
    this.timeoutMs = options.timeoutMs;
    this.recheckMs = options.recheckMs ?? 1000;
  }

  /** Calls may go to Redis: the connection is ready and the breaker closed. */
  get ready(): boolean {
    return this.failure === null && this.client.status === 'ready';
  }

  /** Why calls fail fast now, or null while ready. */
  get reason(): string | null {
    if (this.failure !== null) return this.failure;
    return this.client.status === 'ready' ? null : 'connection not ready';
  }

  /** Runs one command (or pipeline) on the client, bounded; rejects at once while not ready. */
  call<T>(command: (client: Redis) => Promise<T>): Promise<T> {
    if (!this.ready) return Promise.reject(new RedisUnavailableError(this.reason ?? 'closed'));
    let sent: Promise<T>;
    try {
      sent = command(this.client);
    } catch (error) {
      return Promise.reject(error); // our own mistake before anything was sent: Redis is fine
    }
    return withTimeout(sent, this.timeoutMs).catch((error: unknown) => {
      this.open(error);
      throw error;
    });
  }

  /** Runs a feature's Lua script (see LuaScript), like call(). */
  run(
    script: LuaScript,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    return this.call((client) => runLuaScript(client, script, keys, args));
  }

  /**
   * Sends a script that undoes a call which just failed with an unknown outcome (it may still
   * land), even while the breaker is open: on the same connection it runs after that call.
   * Nobody waits for it; its failure is ignored.
   */
  cleanUp(script: LuaScript, keys: readonly string[], args: readonly (string | number)[]): void {
    if (this.closed || this.client.status !== 'ready') return;
    try {
      runLuaScript(this.client, script, keys, args).catch(() => undefined);
    } catch {
      // Nothing was sent.
    }
  }

  /** The breaker's state; starts the PING when one is due. */
  health(): RedisHealth {
    if (this.failure !== null && !this.closed && !this.probing && Date.now() >= this.nextProbeAt) {
      clearTimeout(this.probeTimer);
      this.probeTimer = undefined;
      void this.probe();
    }
    const reason = this.reason;
    return reason === null ? { healthy: true } : { healthy: false, reason };
  }

  /** Resolves true once the connection is ready, false after timeoutMs (or when closed). */
  async whenReady(timeoutMs: number): Promise<boolean> {
    if (this.closed) return false;
    return waitForReady(this.client, timeoutMs).then(
      () => !this.closed,
      () => false,
    );
  }

  /** Stops probing; every later call fails fast. The client is closed by its owner. */
  close(): void {
    this.closed = true;
    this.failure = 'closed';
    clearTimeout(this.probeTimer);
    this.probeTimer = undefined;
  }

  private open(error: unknown): void {
    if (this.closed) return;
    this.failure = describeRedisFailure(error);
    if (this.probeTimer === undefined && !this.probing) this.scheduleProbe();
  }

  private scheduleProbe(): void {
    this.nextProbeAt = Date.now() + this.recheckMs;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = undefined;
      void this.probe();
    }, this.recheckMs);
    this.probeTimer.unref();
  }

  private async probe(): Promise<void> {
    // 'end': the client was closed for good (quit, disconnect); nothing will answer again.
    if (this.closed || this.probing || this.failure === null || this.client.status === 'end')
      return;
    this.probing = true;
    try {
      if (this.client.status === 'ready') {
        await withTimeout(this.client.ping(), this.timeoutMs);
        this.failure = null;
      }
    } catch (error) {
      this.failure = describeRedisFailure(error);
    } finally {
      this.probing = false;
      if (this.failure !== null && !this.closed) this.scheduleProbe();
    }
  }
}
