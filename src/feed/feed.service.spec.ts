import { Subject } from 'rxjs';
import type { Caller } from '../common/auth/caller.js';
import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import type { CustomerEventType } from '../mirror/customer-events.policy.js';
import { encodeEventCursor } from '../mirror/event-cursor.js';
import type { MirrorService } from '../mirror/mirror.service.js';
import type { StoredEvent } from '../mirror/mirror.store.js';
import type { PancakeClient } from '../pancake/pancake.client.js';
import type { EventsStore } from './events.store.js';
import type { FeedSignal, FeedSignals } from './feed-signals.js';
import { FeedService } from './feed.service.js';

const ADMIN: Caller = { keyName: 'admin', pages: null, scope: 'write' };
const PAGE_222: Caller = { keyName: 'p222', pages: new Set(['222']), scope: 'read' };

function event(seq: number, type: CustomerEventType = 'CUSTOMER_CREATED'): StoredEvent {
  return {
    id: `evt_${seq}`,
    type,
    origin: 'PANCAKE',
    pageId: '111',
    seq,
    customerId: `c${seq}`,
    occurredAt: new Date(0),
    changedFields: [],
    note: null,
    customer: { id: `c${seq}`, psid: `${seq}` } as StoredEvent['customer'],
  };
}

function service(options: { events?: StoredEvent[]; mirrored?: boolean } = {}) {
  const rows = options.events ?? [];
  const reads: { after: number; limit: number; types: readonly string[] | null }[] = [];
  const store = {
    read: (
      _page: string,
      after: number,
      limit: number,
      types: readonly CustomerEventType[] | null,
    ) => {
      reads.push({ after, limit, types });
      return Promise.resolve(
        rows.filter((e) => e.seq > after && (!types || types.includes(e.type))).slice(0, limit),
      );
    },
    headSeq: () => Promise.resolve(rows.at(-1)?.seq ?? 0),
  } as unknown as EventsStore;
  const signals = { signals: new Subject<FeedSignal>() } as unknown as FeedSignals;
  const pancake = {
    hasPage: (page: string) => ['111', '222'].includes(page),
    avatarUrl: (page: string, psid: string) => `https://avatars/${page}/${psid}`,
  } as unknown as PancakeClient;
  const mirror = {
    isMirrorable: () => options.mirrored ?? true,
    status: (pageId: string) =>
      Promise.resolve({ pageId, state: 'PAUSED', customers: 0, backfillProgress: null }),
  } as unknown as MirrorService;
  return { feed: new FeedService(store, signals, pancake, mirror), reads };
}

async function refusal(run: () => Promise<unknown>): Promise<GatewayError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof GatewayError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('FeedService.page', () => {
  it('pages by cursor: hasMore from one extra row, nextCursor the last one shown', async () => {
    const { feed, reads } = service({ events: [1, 2, 3, 4, 5].map((seq) => event(seq)) });
    const first = await feed.page(ADMIN, '111', { limit: '2', limitField: 'limit' });
    expect(first.events.map((e) => e.customerId)).toEqual(['c1', 'c2']);
    expect(first.hasMore).toBe(true);
    expect(first.nextCursor).toBe(encodeEventCursor('111', 2));
    expect(first.events[0].customer.avatarUrl).toBe('https://avatars/111/1');
    expect(reads[0]).toEqual({ after: 0, limit: 3, types: null });

    const last = await feed.page(ADMIN, '111', {
      after: encodeEventCursor('111', 3),
      limit: 5,
      limitField: 'first',
    });
    expect(last.events.map((e) => e.customerId)).toEqual(['c4', 'c5']);
    expect(last.hasMore).toBe(false);
  });

  it('gives `after` back as nextCursor when nothing followed it, null without one', async () => {
    const { feed } = service();
    const after = encodeEventCursor('111', 9);
    expect((await feed.page(ADMIN, '111', { after, limitField: 'limit' })).nextCursor).toBe(after);
    expect((await feed.page(ADMIN, '111', { limitField: 'limit' })).nextCursor).toBeNull();
  });

  it('checks access before input, and a page never mirrored here is SYNC_NOT_READY', async () => {
    const { feed, reads } = service();
    expect(
      (await refusal(() => feed.page(PAGE_222, '111', { limit: 0, limitField: 'limit' }))).code,
    ).toBe(ErrorCode.FORBIDDEN);
    expect((await refusal(() => feed.page(ADMIN, '333', { limitField: 'limit' }))).code).toBe(
      ErrorCode.NOT_FOUND,
    );
    const unmirrored = service({ mirrored: false }).feed;
    expect((await refusal(() => unmirrored.page(ADMIN, '111', { limitField: 'limit' }))).code).toBe(
      ErrorCode.SYNC_NOT_READY,
    );
    expect(reads).toEqual([]);
  });
});

describe('FeedService.follow', () => {
  it('starts at the live edge without a cursor, after it with one', async () => {
    const { feed, reads } = service({ events: [1, 2, 3].map((seq) => event(seq)) });
    const live = await feed.follow(ADMIN, '111', {});
    const resumed = await feed.follow(ADMIN, '111', { after: encodeEventCursor('111', 1) });
    expect(feed.openFollowers).toBe(2);
    const next = await resumed.next();
    expect(next.value?.seq).toBe(2);
    expect(reads.at(-1)?.after).toBe(1);
    const pending = live.next();
    await feed.onModuleDestroy();
    expect((await pending).done).toBe(true);
    expect(feed.openFollowers).toBe(0);
  });

  it('refuses an unknown type by name', async () => {
    const { feed } = service();
    const error = await refusal(() => feed.follow(ADMIN, '111', { types: ['CUSTOMER_DELETED'] }));
    expect(error.message).toMatch(/^types: must be among /);
  });
});
