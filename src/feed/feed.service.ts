import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Caller } from '../common/auth/caller.js';
import { assertPageAccess } from '../common/auth/page-access.js';
import { decodeEventCursor, encodeEventCursor } from '../mirror/event-cursor.js';
import { syncNotReady } from '../mirror/mirror-errors.js';
import type { StoredEvent } from '../mirror/mirror.store.js';
import { MirrorService } from '../mirror/mirror.service.js';
import { PancakeClient } from '../pancake/pancake.client.js';
import { assertPageId } from '../pancake/path-segments.js';
import {
  eventView,
  type CustomerEventPageView,
  type CustomerEventView,
} from './customer-event-view.js';
import { EventFollower } from './event-follower.js';
import { EventsStore } from './events.store.js';
import { eventsLimit, eventTypes, resumeSeq } from './feed-query.policy.js';
import { FeedSignals } from './feed-signals.js';

export interface EventsPageArgs {
  after?: string | null;
  limit?: string | number | null;
  /** The limit's name on this transport: REST `limit`, GraphQL `first`. */
  limitField: string;
  types?: string | readonly string[] | null;
}

export interface FollowArgs {
  after?: string | null;
  /** SSE's Last-Event-ID header: where a reconnecting stream resumes. */
  lastEventId?: string | null;
  types?: string | readonly string[] | null;
}

/** The change feed, for every channel: event pages by cursor, and live followers. */
@Injectable()
export class FeedService implements OnModuleDestroy {
  private readonly followers = new Set<EventFollower>();

  constructor(
    private readonly store: EventsStore,
    private readonly signals: FeedSignals,
    private readonly pancake: PancakeClient,
    private readonly mirror: MirrorService,
  ) {}

  async page(caller: Caller, pageId: string, args: EventsPageArgs): Promise<CustomerEventPageView> {
    await this.assertReadable(caller, pageId);
    const limit = eventsLimit(args.limit, args.limitField);
    const types = eventTypes(args.types);
    const after = args.after ? decodeEventCursor(pageId, args.after, 'after') : 0;
    const events = await this.store.read(pageId, after, limit + 1, types);
    const shown = events.slice(0, limit);
    const last = shown.at(-1);
    return {
      events: shown.map((event) => this.view(event)),
      // Nothing new: the same cursor again, so a poller always has one to pass.
      nextCursor: last ? encodeEventCursor(pageId, last.seq) : (args.after ?? null),
      hasMore: events.length > limit,
    };
  }

  /**
   * The page's events after `after` (or Last-Event-ID), then live ones; from the live edge when
   * neither is given. Access and input are checked before anything is returned.
   */
  async follow(caller: Caller, pageId: string, args: FollowArgs): Promise<EventFollower> {
    await this.assertReadable(caller, pageId);
    const types = eventTypes(args.types);
    const start =
      resumeSeq(pageId, args.after, args.lastEventId) ?? (await this.store.headSeq(pageId));
    const follower = new EventFollower(
      (page, afterSeq, limit, only) => this.store.read(page, afterSeq, limit, only),
      pageId,
      start,
      types,
      this.signals.signals,
      (closed) => this.followers.delete(closed),
    );
    this.followers.add(follower);
    return follower;
  }

  /** Subscriptions and SSE streams open on this replica. */
  get openFollowers(): number {
    return this.followers.size;
  }

  view(event: StoredEvent): CustomerEventView {
    return eventView(event, (psid) => this.pancake.avatarUrl(event.pageId, psid));
  }

  /**
   * Open subscriptions and SSE streams end first on shutdown: they never would, and Apollo's
   * stop (GraphQLModule's destroy hook, after this shallower module's) waits for every HTTP
   * connection to close, up to 10 s.
   */
  async onModuleDestroy(): Promise<void> {
    await Promise.all([...this.followers].map((follower) => follower.return()));
  }

  /**
   * Ids and access first; then a page this gateway never mirrors (embedded database, not in
   * SYNC_PAGES) is 409 SYNC_NOT_READY rather than a feed that stays empty for ever.
   */
  private async assertReadable(caller: Caller, pageId: string): Promise<void> {
    assertPageId(pageId);
    assertPageAccess(caller, pageId, 'read', this.pancake.hasPage(pageId));
    if (!this.mirror.isMirrorable(pageId)) throw syncNotReady(await this.mirror.status(pageId));
  }
}
