import type { ChainableCommander } from 'ioredis';
import { luaScript } from '../../infra/redis/lua-script.js';
import type { RedisAvailability } from '../../infra/redis/redis-availability.js';
import { DEFAULT_KEY_PREFIX } from '../../infra/redis/redis-keys.js';
import { fenceKey, journalKey } from './redis-keys.js';
import { loggingReporter, storeUnavailable, type StoreErrorReporter } from './store-failures.js';
import type {
  Acknowledgement,
  InDoubtWrite,
  WriteLedger,
  WriteLedgerOptions,
} from './write-ledger.js';
import { MAX_JOURNAL_ENTRIES } from './write-ledger.js';

// Only the fence of that write is lifted: a later write's fence stays.
const LIFT = luaScript(
  'pgwWriteFenceLift',
  1,
  `
local v = redis.call('GET', KEYS[1])
if v and cjson.decode(v).id == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
);

type JournalLine = { doubt: InDoubtWrite; at: number } | { ack: Acknowledgement; at: number };

/**
 * The shared ledger: the fence is a key that expires when the write can no longer land (so a
 * replica that dies mid-verification leaves no customer fenced forever), the journal a capped
 * list that expires journalMs after its last entry. Entries are plain JSON (times as epoch ms).
 */
export class RedisWriteLedger implements WriteLedger {
  private readonly prefix: string;
  private readonly journalMs: number;
  private readonly report: StoreErrorReporter;
  private readonly now: () => number;

  constructor(
    private readonly redis: RedisAvailability,
    options: WriteLedgerOptions,
  ) {
    this.prefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
    this.journalMs = options.journalMs;
    this.report = options.onError ?? loggingReporter('WriteLedger');
    this.now = options.now ?? Date.now;
  }

  async fence(doubt: InDoubtWrite): Promise<void> {
    const ttlMs = Math.ceil(doubt.landsBy - this.now());
    try {
      await this.redis.call((client) => {
        const multi = client.multi();
        if (ttlMs > 0)
          multi.set(
            fenceKey(this.prefix, doubt.pageId, doubt.customerId),
            JSON.stringify(doubt),
            'PX',
            ttlMs,
          );
        this.appendTo(multi, doubt.pageId, doubt.customerId, { doubt, at: doubt.sentAt });
        return multi.exec();
      });
    } catch (error) {
      throw storeUnavailable('The write ledger is unavailable (Redis)', error);
    }
  }

  async fenceOf(pageId: string, customerId: string): Promise<InDoubtWrite | null> {
    let raw: string | null;
    try {
      raw = await this.redis.call((client) =>
        client.get(fenceKey(this.prefix, pageId, customerId)),
      );
    } catch (error) {
      throw storeUnavailable(
        'The write ledger is unavailable (Redis); nothing was changed, retry shortly',
        error,
      );
    }
    if (raw === null) return null;
    const fence = JSON.parse(raw) as InDoubtWrite;
    return fence.landsBy > this.now() ? fence : null;
  }

  async lift(doubt: InDoubtWrite): Promise<void> {
    try {
      await this.redis.run(
        LIFT,
        [fenceKey(this.prefix, doubt.pageId, doubt.customerId)],
        [doubt.id],
      );
    } catch (error) {
      // The fence expires on its own at landsBy: a failed lift only delays the next writer.
      this.report('write fence lift', error);
    }
  }

  async doubts(pageId: string, customerId: string): Promise<InDoubtWrite[]> {
    return (await this.journal(pageId, customerId)).flatMap((e) => ('doubt' in e ? [e.doubt] : []));
  }

  async acknowledge(pageId: string, customerId: string, ack: Acknowledgement): Promise<void> {
    try {
      await this.redis.call((client) => {
        const multi = client.multi();
        this.appendTo(multi, pageId, customerId, { ack, at: ack.at });
        return multi.exec();
      });
    } catch (error) {
      this.report('write journal acknowledge', error);
    }
  }

  async acknowledgements(pageId: string, customerId: string): Promise<Acknowledgement[]> {
    return (await this.journal(pageId, customerId)).flatMap((e) => ('ack' in e ? [e.ack] : []));
  }

  private appendTo(
    multi: ChainableCommander,
    pageId: string,
    customerId: string,
    line: JournalLine,
  ): void {
    const key = journalKey(this.prefix, pageId, customerId);
    multi.rpush(key, JSON.stringify(line));
    multi.ltrim(key, -MAX_JOURNAL_ENTRIES, -1);
    multi.pexpire(key, this.journalMs);
  }

  private async journal(pageId: string, customerId: string): Promise<JournalLine[]> {
    let lines: string[];
    try {
      lines = await this.redis.call((client) =>
        client.lrange(journalKey(this.prefix, pageId, customerId), 0, -1),
      );
    } catch (error) {
      throw storeUnavailable('The write journal is unavailable (Redis)', error);
    }
    const since = this.now() - this.journalMs;
    return lines.map((line) => JSON.parse(line) as JournalLine).filter((e) => e.at > since);
  }
}
