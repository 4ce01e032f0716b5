import { luaScript } from '../../infra/redis/lua-script.js';
import type { RedisAvailability } from '../../infra/redis/redis-availability.js';
import { pageKey } from '../../infra/redis/redis-keys.js';

/**
 * The Redis limiter's two Lua scripts. Each declares every key it touches in KEYS
 * (both keys of a page share the `{pageId}` hash tag, hence one cluster slot), reads
 * the server clock with TIME (one clock for every replica), and runs atomically.
 */

/** Keys of one page: the GCRA tat and the pause-until, both epoch ms of the Redis clock. */
export function limiterKeys(prefix: string, pageId: string): { tat: string; pause: string } {
  return {
    tat: pageKey(prefix, 'rl', pageId, 'tat'),
    pause: pageKey(prefix, 'rl', pageId, 'pause'),
  };
}

/** A key outlives the time it stores by this much, then expires: idle pages leave nothing. */
export const KEY_GRACE_MS = 1000;

const NOW_FROM_TIME = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * Mirror of reserveSlot (reserve-slot.ts) with pausedUntil raised to now + minDelayMs.
 * KEYS[1] tat key, KEYS[2] pause key.
 * ARGV[1] intervalMs, ARGV[2] maxWaitMs, ARGV[3] minDelayMs (0 unless the process just
 * left its fallback and must not place a slot next to the fallback's last one).
 * Returns {granted 1|0, delayMs (granted) or the refused wait (retry hint), pauseLeftMs}.
 */
export const RESERVE_SCRIPT = `${NOW_FROM_TIME}
local interval = tonumber(ARGV[1])
local maxWait = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1])) or 0
local pausedUntil = tonumber(redis.call('GET', KEYS[2])) or 0
local slot = math.max(tat, now, pausedUntil, now + tonumber(ARGV[3]))
local wait = slot - now
local pauseLeft = math.max(0, pausedUntil - now)
if wait > maxWait then
  return {0, wait, pauseLeft}
end
local newTat = slot + interval
redis.call('SET', KEYS[1], string.format('%.0f', newTat), 'PX', string.format('%.0f', newTat - now + ${KEY_GRACE_MS}))
return {1, wait, pauseLeft}
`;

/**
 * pausedUntil = max(existing, now + durationMs) on the Redis clock.
 * KEYS[1] pause key. ARGV[1] durationMs. Returns the pause left in ms.
 */
export const PAUSE_SCRIPT = `${NOW_FROM_TIME}
local untilMs = now + tonumber(ARGV[1])
local existing = tonumber(redis.call('GET', KEYS[1])) or 0
if existing > untilMs then
  untilMs = existing
end
redis.call('SET', KEYS[1], string.format('%.0f', untilMs), 'PX', string.format('%.0f', untilMs - now + ${KEY_GRACE_MS}))
return untilMs - now
`;

export interface ReserveReply {
  granted: boolean;
  /** Granted: ms until the slot. Refused: ms the slot would have been away. */
  waitMs: number;
  pauseLeftMs: number;
}

const RESERVE = luaScript('pgwLimiterReserve', 2, RESERVE_SCRIPT);
const PAUSE = luaScript('pgwLimiterPause', 1, PAUSE_SCRIPT);

export async function reserveOnRedis(
  redis: RedisAvailability,
  keys: { tat: string; pause: string },
  intervalMs: number,
  maxWaitMs: number,
  minDelayMs: number,
): Promise<ReserveReply> {
  const reply = await redis.run(
    RESERVE,
    [keys.tat, keys.pause],
    [intervalMs, Math.floor(maxWaitMs), Math.ceil(minDelayMs)],
  );
  if (!Array.isArray(reply) || reply.length !== 3 || !reply.every((v) => typeof v === 'number')) {
    throw new Error('Unexpected reply from the rate limit script');
  }
  const [granted, waitMs, pauseLeftMs] = reply as number[];
  return { granted: granted === 1, waitMs, pauseLeftMs };
}

export async function pauseOnRedis(
  redis: RedisAvailability,
  pauseKey: string,
  durationMs: number,
): Promise<number> {
  const reply = await redis.run(PAUSE, [pauseKey], [Math.ceil(durationMs)]);
  if (typeof reply !== 'number') throw new Error('Unexpected reply from the pause script');
  return reply;
}
