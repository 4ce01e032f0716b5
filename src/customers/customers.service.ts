import { Inject, Injectable, Logger } from '@nestjs/common';
import { ReadCache, type CachedRead } from '../cache/read-cache.js';
import { alignWindowToTtlGrid } from '../cache/time-window.js';
import type { Caller } from '../common/auth/caller.js';
import { RequestContextService } from '../common/context/request-context.service.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { PancakeClient } from '../pancake/pancake.client.js';
import type { CustomerChanges, CustomerRecord } from '../pancake/pancake.model.js';
import { mergePhoneNumbers } from '../pancake/policy/phone-number.js';
import type { CustomerPageView, CustomerView, ListCustomersArgs } from './customer-view.js';
import { validateListArgs } from './list-args.policy.js';
import { PageGuard } from './page-guard.service.js';
import {
  CUSTOMER_INDEX,
  type CustomerIndex,
  type IndexedCustomer,
} from './stores/customer-index.js';
import { MirrorService } from '../mirror/mirror.service.js';
import type { ReadSource } from './customer-view.js';
import { GuardedWrites } from './writes/guarded-writes.js';
import type { CustomerReader } from './writes/write-verifier.js';

/** The customer operations both transports call: reads through the cache, lossless writes. */
@Injectable()
export class CustomersService {
  private readonly logger = new Logger(CustomersService.name);
  private readonly mirroredViews = new WeakMap<CustomerRecord, CustomerView>();

  constructor(
    private readonly config: GatewayConfig,
    private readonly pancake: PancakeClient,
    private readonly cache: ReadCache,
    private readonly guard: PageGuard,
    @Inject(CUSTOMER_INDEX) private readonly index: CustomerIndex,
    private readonly writes: GuardedWrites,
    private readonly requestContext: RequestContextService,
    private readonly mirror: MirrorService,
  ) {}

  async listCustomers(
    caller: Caller,
    pageId: string,
    args: ListCustomersArgs,
  ): Promise<CustomerPageView> {
    this.guard.page(caller, pageId, 'read');
    const asked = validateListArgs(args);
    if ((await this.sourceOf(pageId, args.source)) === 'MIRROR') {
      const version = await this.noteMirrorRead(pageId);
      const [page, syncedAt] = await Promise.all([
        this.mirror.list(pageId, asked, version),
        this.mirror.syncedAt(pageId),
      ]);
      return {
        total: page.total,
        pageNumber: asked.pageNumber,
        pageSize: asked.pageSize,
        hasNextPage: asked.pageNumber * asked.pageSize < page.total,
        nodes: page.customers.map((c) => this.mirroredView(c)),
        source: 'MIRROR',
        syncedAt,
      };
    }
    // Windows ending "now" move every second; the TTL grid keeps them cacheable.
    const window = alignWindowToTtlGrid(asked, this.config.cache.ttlSeconds, new Date());
    const query = { ...asked, since: window.since, until: window.until };
    const parts = {
      op: 'list',
      since: query.since.getTime(),
      until: query.until.getTime(),
      pageNumber: query.pageNumber,
      pageSize: query.pageSize,
      orderBy: query.orderBy,
    };
    const read = await this.cache.read(pageId, parts, async () => {
      const page = await this.pancake.listCustomers(pageId, query);
      await this.index.remember(page.customers);
      return page;
    });
    this.noteCacheRead(pageId, read);
    const { total, customers } = read.value;
    return {
      total,
      pageNumber: query.pageNumber,
      pageSize: query.pageSize,
      hasNextPage: query.pageNumber * query.pageSize < total,
      nodes: customers.map((c) => this.view(c)),
      source: 'UPSTREAM',
      syncedAt: null,
    };
  }

  /** One customer by id; null only when the gateway has never seen the id on this page. */
  async getCustomer(
    caller: Caller,
    pageId: string,
    id: string,
    source?: ReadSource,
  ): Promise<CustomerView | null> {
    this.guard.customer(caller, pageId, id, 'read');
    if ((await this.sourceOf(pageId, source)) === 'MIRROR') {
      await this.noteMirrorRead(pageId);
      const mirrored = await this.mirror.get(pageId, id);
      return mirrored && this.mirroredView(mirrored);
    }
    const known = await this.lookup(pageId, id);
    if (!known) return null;
    if (!known.insertedAt) return this.view(known.snapshot);
    const insertedAt = known.insertedAt;
    const read = await this.cache.read(pageId, { op: 'customer', id }, () =>
      this.pancake.findCustomer(pageId, { id, insertedAt }),
    );
    this.noteCacheRead(pageId, read);
    if (!read.value) {
      await this.index.forget(pageId, id);
      return null;
    }
    if (read.outcome === 'miss') {
      await this.index.remember([read.value]);
      await this.mirrorQuietly(pageId, [read.value]);
    }
    return this.view(read.value);
  }

  /**
   * Sends only the given fields (validated by CustomerChangesPipe), then returns the customer
   * as it now is.
   */
  async updateCustomer(
    caller: Caller,
    pageId: string,
    id: string,
    changes: CustomerChanges,
  ): Promise<CustomerView> {
    this.guard.customer(caller, pageId, id, 'write');
    const known = await this.requireKnown(pageId, id);
    return this.writes.exclusive(pageId, id, async () => {
      const sent = await this.writes.send(
        {
          kind: 'update',
          pageId,
          customerId: id,
          changes,
          baselineUpdatedAt: known.snapshot.updatedAt?.getTime() ?? null,
        },
        () => this.pancake.updateCustomer(pageId, id, changes),
        this.readerOf(pageId, known),
        () => this.cache.invalidatePage(pageId),
      );
      await this.cache.invalidatePage(pageId);
      if (changes.phoneNumbers)
        await this.writes.acknowledge(pageId, id, {
          kind: 'phones-set',
          numbers: changes.phoneNumbers,
          at: Date.now(),
        });
      const fresh = sent.seen ?? (await this.readFresh(pageId, known));
      // The write landed; if the read-back finds nothing, answer with what we know it now holds.
      return this.view(fresh ?? { ...known.snapshot, ...changes });
    });
  }

  /**
   * Merges numbers into the current list. Upstream replaces the list whole, so under the
   * customer's guarded lock: fresh read (never the cache), merge, write the full list. Numbers
   * the gateway acknowledged before and a late write of its own removed are merged back too.
   * `added`: E.164, de-duplicated, not empty (PhoneNumbersPipe).
   */
  async addPhoneNumbers(
    caller: Caller,
    pageId: string,
    id: string,
    added: string[],
  ): Promise<CustomerView> {
    this.guard.customer(caller, pageId, id, 'write');
    const region = this.config.phoneDefaultRegion;
    const known = await this.requireKnown(pageId, id);
    return this.writes.exclusive(pageId, id, async () => {
      const current = await this.readFresh(pageId, known);
      if (!current) throw GatewayError.notFound(`Customer ${id} not found on page ${pageId}`);
      const restored = await this.writes.phonesToRestore(current);
      const merged = mergePhoneNumbers(current.phoneNumbers, [...restored, ...added], region);
      const acknowledge = (): Promise<void> =>
        this.writes.acknowledge(pageId, id, {
          kind: 'phones-added',
          numbers: added,
          at: Date.now(),
        });
      if (sameList(merged, current.phoneNumbers)) {
        await acknowledge();
        return this.view(current);
      }
      const sent = await this.writes.send(
        {
          kind: 'update',
          pageId,
          customerId: id,
          changes: { phoneNumbers: merged },
          baselineUpdatedAt: current.updatedAt?.getTime() ?? null,
        },
        () => this.pancake.updateCustomer(pageId, id, { phoneNumbers: merged }),
        this.readerOf(pageId, known),
        () => this.cache.invalidatePage(pageId),
      );
      await this.cache.invalidatePage(pageId);
      await acknowledge();
      if (restored.length > 0) this.writes.noteRestored(current, restored);
      const fresh = sent.seen ?? (await this.readFresh(pageId, known));
      return this.view(fresh ?? { ...current, phoneNumbers: merged });
    });
  }

  avatarUrlOf(customer: Pick<CustomerRecord, 'pageId' | 'psid'>): string {
    return this.pancake.avatarUrl(customer.pageId, customer.psid);
  }

  /** The index entry of a customer a write targets; NOT_FOUND when the gateway never saw it. */
  async requireKnown(pageId: string, id: string): Promise<IndexedCustomer & { insertedAt: Date }> {
    const known = await this.lookup(pageId, id);
    if (!known) {
      throw GatewayError.notFound(
        this.mirror.isMirrorable(pageId)
          ? `Customer ${id} not found on page ${pageId}`
          : `Customer ${id} is unknown on page ${pageId} (list the page first: Pancake has no lookup by id)`,
      );
    }
    if (!known.insertedAt) {
      throw GatewayError.upstream(
        `Customer ${id} has no inserted_at upstream, so it cannot be read back safely`,
      );
    }
    return known as IndexedCustomer & { insertedAt: Date };
  }

  /** A fresh reader of one known customer, for verifying writes. */
  readerOf(pageId: string, known: { snapshot: CustomerRecord; insertedAt: Date }): CustomerReader {
    return () => this.readFresh(pageId, known);
  }

  /** Straight from upstream, remembered in the index. */
  async readFresh(
    pageId: string,
    known: { snapshot: CustomerRecord; insertedAt: Date },
  ): Promise<CustomerRecord | null> {
    const fresh = await this.pancake.findCustomer(pageId, {
      id: known.snapshot.id,
      insertedAt: known.insertedAt,
    });
    if (fresh) {
      await this.index.remember([fresh]);
      // Every replica reads its own write back from the mirror at once.
      await this.mirrorQuietly(known.snapshot.pageId, [fresh], { afterWrite: true });
    }
    return fresh;
  }

  /**
   * Where the customer sits upstream: the index (customers listed lately), else the mirror,
   * which knows every customer of a synced page.
   */
  private async lookup(pageId: string, id: string): Promise<IndexedCustomer | null> {
    const known = await this.index.lookup(pageId, id);
    if (known) return known;
    const mirrored = await this.mirror.get(pageId, id).catch(() => null);
    return (
      mirrored && {
        pageId,
        psid: mirrored.psid,
        insertedAt: mirrored.insertedAt,
        updatedAt: mirrored.updatedAt,
        snapshot: mirrored,
        seenAt: new Date(),
      }
    );
  }

  /**
   * Mirrors what the gateway read; a database failure must not fail the client's request.
   * `afterWrite`: a write's read-back, which every replica must show once the write answers.
   */
  private async mirrorQuietly(
    pageId: string,
    records: CustomerRecord[],
    options: { afterWrite?: boolean } = {},
  ): Promise<void> {
    await this.mirror.recordGatewayRead(pageId, records, options).catch((error: unknown) => {
      this.logger.warn({ msg: 'Mirror update failed', pageId, error: (error as Error).message });
    });
  }

  /** Where a read goes; the choice is recorded for X-Data-Source / extensions.dataSource. */
  private async sourceOf(
    pageId: string,
    asked: ReadSource | undefined,
  ): Promise<'MIRROR' | 'UPSTREAM'> {
    const source = await this.mirror.sourceFor(pageId, asked);
    this.requestContext.recordDataSource(source);
    return source;
  }

  view(record: CustomerRecord): CustomerView {
    return { ...record, avatarUrl: this.avatarUrlOf(record) };
  }

  /**
   * The view of a mirrored record, made once per record object and frozen: the mirror hands
   * out the same frozen records read after read, so their views (and the JSON made of them,
   * CustomerJsonCache) are made once too. The mirror's record budget counts both.
   */
  private mirroredView(record: CustomerRecord): CustomerView {
    if (!Object.isFrozen(record)) return this.view(record);
    let view = this.mirroredViews.get(record);
    if (!view) {
      view = Object.freeze(this.view(record));
      this.mirroredViews.set(record, view);
    }
    return view;
  }

  /**
   * A mirror read, recorded with the page's mirror version taken BEFORE the rows are read: a
   * change landing in between leaves the answer under the older version, never the newer, so
   * a replay of it is refused (see ResponseReplay). Fresh for one sync interval at most.
   * Returns the version (0: the page is not mirrored).
   */
  private async noteMirrorRead(pageId: string): Promise<number> {
    const version = await this.mirror.version(pageId);
    if (version === null) return 0;
    this.requestContext.recordRead({
      pageId,
      outcome: 'miss',
      generation: version,
      freshForMs: this.config.mirror.intervalSeconds * 1000,
      store: 'mirror',
    });
    return version;
  }

  private noteCacheRead(pageId: string, read: CachedRead<unknown>): void {
    this.requestContext.recordRead({
      pageId,
      outcome: read.outcome,
      generation: read.generation ?? null,
      freshForMs: Math.max(0, (this.config.cache.ttlSeconds - read.ageSeconds) * 1000),
      staleAgeSeconds: read.stale ? read.ageSeconds : undefined,
    });
  }
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, i) => value === b[i]);
}
