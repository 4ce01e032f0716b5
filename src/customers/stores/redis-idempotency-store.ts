import { luaScript } from '../../infra/redis/lua-script.js';
import type { RedisAvailability } from '../../infra/redis/redis-availability.js';
import { DEFAULT_KEY_PREFIX } from '../../infra/redis/redis-keys.js';
import { fromTaggedJson, toTaggedJson } from '../../infra/redis/tagged-json.js';
import { assertIdempotencyKey } from './idempotency-key.js';
import type {
  IdempotencyBegin,
  IdempotencyStore,
  IdempotencyStoreOptions,
} from './idempotency-store.js';
import { idempotencyTtls, type IdempotencyTtls } from './idempotency-ttl.js';
import { idempotencyKey } from './redis-keys.js';
import { loggingReporter, storeUnavailable, type StoreErrorReporter } from './store-failures.js';

// One hash per key: fp, state (pending|done), result. Begin decides and claims in one atomic call.
const BEGIN = luaScript(
  'pgwIdempotencyBegin',
  1,
  `
local v = redis.call('HMGET', KEYS[1], 'fp', 'state', 'result')
if not v[1] then
  redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'state', 'pending')
  redis.call('EXPIRE', KEYS[1], ARGV[2])
  return {'started'}
end
if v[1] ~= ARGV[1] then return {'mismatch'} end
if v[2] == 'done' then return {'replay', v[3]} end
return {'in-progress'}
`,
);
// Writes the result unless the key now belongs to another fingerprint (ours expired and was reused).
const COMPLETE = luaScript(
  'pgwIdempotencyComplete',
  1,
  `
local fp = redis.call('HGET', KEYS[1], 'fp')
if fp and fp ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
redis.call('HSET', KEYS[1], 'fp', ARGV[1], 'state', 'done', 'result', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
`,
);
// Only an unfinished marker of the same fingerprint is dropped; a stored result stays.
const ABANDON = luaScript(
  'pgwIdempotencyAbandon',
  1,
  `
local v = redis.call('HMGET', KEYS[1], 'fp', 'state')
if v[1] == ARGV[1] and v[2] == 'pending' then return redis.call('DEL', KEYS[1]) end
return 0
`,
);

/**
 * The shared store. Policy while Redis is unavailable (RedisAvailability): begin fails (503,
 * nothing done), since without it a retry could create a second note; complete and abandon
 * are reported and skipped, since the work already happened or failed: an unfinished marker
 * then blocks the key only for the pending TTL.
 */
export class RedisIdempotencyStore<T> implements IdempotencyStore<T> {
  private readonly prefix: string;
  private readonly ttls: IdempotencyTtls;
  private readonly report: StoreErrorReporter;

  constructor(
    private readonly redis: RedisAvailability,
    options: IdempotencyStoreOptions = {},
  ) {
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.ttls = idempotencyTtls(options);
    this.report = options.onError ?? loggingReporter('IdempotencyStore');
  }

  async begin(scope: string, key: string, fingerprint: string): Promise<IdempotencyBegin<T>> {
    assertIdempotencyKey(key);
    try {
      const reply = (await this.redis.run(
        BEGIN,
        [idempotencyKey(this.prefix, scope, key)],
        [fingerprint, this.ttls.pendingSeconds],
      )) as [string, string?];
      switch (reply[0]) {
        case 'started':
        case 'in-progress':
        case 'mismatch':
          return { state: reply[0] };
        case 'replay':
          return { state: 'replay', result: fromTaggedJson<T>(reply[1] ?? 'null') };
        default:
          throw new Error(`unexpected idempotency reply ${String(reply[0])}`);
      }
    } catch (error) {
      throw storeUnavailable(
        'The idempotency store is unavailable (Redis); nothing was done, retry with the same Idempotency-Key',
        error,
      );
    }
  }

  async complete(scope: string, key: string, fingerprint: string, result: T): Promise<void> {
    assertIdempotencyKey(key);
    try {
      await this.redis.run(
        COMPLETE,
        [idempotencyKey(this.prefix, scope, key)],
        [fingerprint, toTaggedJson(result) ?? 'null', this.ttls.replaySeconds],
      );
    } catch (error) {
      this.report('idempotency complete', error);
    }
  }

  async abandon(scope: string, key: string, fingerprint: string): Promise<void> {
    assertIdempotencyKey(key);
    try {
      await this.redis.run(ABANDON, [idempotencyKey(this.prefix, scope, key)], [fingerprint]);
    } catch (error) {
      this.report('idempotency abandon', error);
    }
  }
}
