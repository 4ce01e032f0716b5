import { Injectable, Logger } from '@nestjs/common';
import type { Caller } from '../common/auth/caller.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import { assertPageAccess } from '../common/auth/page-access.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { assertPageId } from '../pancake/path-segments.js';
import { DatabaseService } from '../infra/database/database.service.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type {
  CustomerListPage,
  CustomerListQuery,
  CustomerRecord,
} from '../pancake/pancake.model.js';
import { syncNotReady } from './mirror-errors.js';
import { MirrorEvents } from './mirror-events.js';
import type { MirroredRecords } from './mirrored-records.js';
import { MirrorStore } from './mirror.store.js';
import { readSourceOf, type DataSource, type SyncStatusView } from './read-source.policy.js';
import { SyncStateStore } from './sync-state.store.js';
import { statusOf } from './sync-status.js';

/** How long a page's status is reused by reads on this replica (one query per page per second). */
const STATUS_REUSE_MS = 1000;

/**
 * What the rest of the gateway asks of the mirror: where a read should go, mirrored reads,
 * the sync status, and the gateway's own writes recorded at once.
 */
@Injectable()
export class MirrorService {
  private readonly logger = new Logger('Mirror');
  private readonly statuses = new Map<string, { at: number; status: SyncStatusView }>();

  constructor(
    private readonly config: GatewayConfig,
    private readonly store: MirrorStore,
    private readonly state: SyncStateStore,
    private readonly events: MirrorEvents,
    private readonly metrics: GatewayMetrics,
    private readonly database: DatabaseService,
  ) {}

  /** Whether this gateway's mirror can hold the page at all (a shared server, or synced here). */
  isMirrorable(pageId: string): boolean {
    return this.config.database.url !== null || this.config.mirror.pages.includes(pageId);
  }

  /**
   * Readiness: the database answers (when one is in use) and each synced page's state. A
   * FAILED page is reported but does not make the replica unready.
   */
  async health(): Promise<{ databaseAnswers: boolean; data: Record<string, unknown> }> {
    const pages = this.config.mirror.pages;
    if (!this.database.opened && pages.length === 0 && !this.config.database.url)
      return { databaseAnswers: true, data: { database: 'not in use' } };
    try {
      const states = await Promise.all(
        pages.map(async (page) => [page, (await this.status(page)).state]),
      );
      return {
        databaseAnswers: true,
        data: { database: this.database.kind, pages: Object.fromEntries(states) },
      };
    } catch (error) {
      return {
        databaseAnswers: false,
        data: { database: this.database.kind, detail: (error as Error).message },
      };
    }
  }

  /** The status for a caller that may read the page (ids and access checked first). */
  statusFor(caller: Caller, pageId: string): Promise<SyncStatusView> {
    assertPageId(pageId);
    assertPageAccess(caller, pageId, 'read', this.config.pancake.pageTokens.has(pageId));
    return this.status(pageId);
  }

  async status(pageId: string): Promise<SyncStatusView> {
    if (!this.isMirrorable(pageId)) return statusOf(pageId, null, new Date(), this.config.mirror);
    const row = await this.state.read(pageId);
    const now = new Date();
    const status = statusOf(pageId, row, now, this.config.mirror);
    this.statuses.set(pageId, { at: now.getTime(), status });
    return status;
  }

  /**
   * Up to when the page's mirror is known current (the end of its last complete pass), from the
   * status reads are routed by: a mirrored read costs no status query of its own.
   */
  async syncedAt(pageId: string): Promise<Date | null> {
    const status = await this.recentStatus(pageId);
    const at = this.statuses.get(pageId)?.at ?? Date.now();
    return status.lagSeconds === null ? null : new Date(at - status.lagSeconds * 1000);
  }

  /**
   * Where a read of the page goes: `asked` (or READ_SOURCE) resolved against the page's state.
   * MIRROR on a page that is not live is SYNC_NOT_READY, never a silent fallback.
   */
  async sourceFor(pageId: string, asked: DataSource | undefined): Promise<'MIRROR' | 'UPSTREAM'> {
    const wanted = asked ?? (this.config.mirror.readSource.toUpperCase() as DataSource);
    if (wanted === 'UPSTREAM') return 'UPSTREAM';
    const status = await this.recentStatus(pageId).catch((error: unknown) => {
      // The database down must not take upstream reads with it; a mirror read says why it fails.
      if (wanted === 'AUTO') return null;
      this.logger.warn({
        msg: 'Mirror database unreachable',
        pageId,
        error: (error as Error).message,
      });
      throw GatewayError.unavailable(
        "The mirror's database does not answer; read with source=upstream",
      );
    });
    if (!status) return 'UPSTREAM';
    const source = readSourceOf(wanted, status, this.config.mirror.maxLagSeconds);
    if (source === 'NOT_READY') throw syncNotReady(status);
    this.metrics.readSources.inc({ source: source.toLowerCase() });
    return source;
  }

  /** The page's mirror version (see MirrorStore.version); null when the page is not mirrored. */
  async version(pageId: string): Promise<number | null> {
    return this.isMirrorable(pageId) ? this.store.version(pageId) : null;
  }

  /** `version`: the page's version, taken before (see MirrorStore.list). */
  list(pageId: string, query: CustomerListQuery, version: number): Promise<CustomerListPage> {
    return this.store.list(pageId, query, version);
  }

  /** Lets mirrored lists reuse records the given keeper holds (see MirroredRecords). */
  reuseRecordsFrom(records: MirroredRecords): void {
    this.store.reuseRecordsFrom(records);
  }

  get(pageId: string, id: string): Promise<CustomerRecord | null> {
    return this.isMirrorable(pageId) ? this.store.get(pageId, id) : Promise.resolve(null);
  }

  /**
   * A write to the customer is about to leave: what the sync sees of it until the write can no
   * longer land (quarantine) plus a delta's reach is credited to the gateway.
   */
  async expectGatewayWrite(pageId: string, customerId: string): Promise<void> {
    if (!this.isMirrorable(pageId)) return;
    const reachMs =
      this.config.pancake.writeQuarantineMs + (this.config.mirror.intervalSeconds + 60) * 1000;
    await this.store
      .markGatewayWrite(pageId, customerId, Date.now() + reachMs)
      .catch((error: unknown) => {
        this.logger.warn({
          msg: 'Mirror write mark failed',
          pageId,
          error: (error as Error).message,
        });
      });
  }

  /**
   * A customer as the gateway just read it: mirrored at once. `afterWrite`: the read-back of
   * the gateway's own write, which waits until every replica's mirror reads show it.
   */
  async recordGatewayRead(
    pageId: string,
    records: readonly CustomerRecord[],
    { afterWrite = false }: { afterWrite?: boolean } = {},
  ): Promise<void> {
    if (!this.isMirrorable(pageId) || records.length === 0) return;
    const result = await this.store.apply(pageId, records, 'GATEWAY');
    for (const event of result.events)
      this.metrics.mirrorEvents.inc({ page: pageId, type: event.type, origin: event.origin });
    this.events.publish(result.events);
    this.statuses.delete(pageId);
    if (afterWrite) await this.store.afterGatewayWrite();
  }

  private async recentStatus(pageId: string): Promise<SyncStatusView> {
    const known = this.statuses.get(pageId);
    if (known && Date.now() - known.at < STATUS_REUSE_MS) return known.status;
    return this.status(pageId);
  }
}
