import { Injectable } from '@nestjs/common';
import type { Caller } from '../common/auth/caller.js';
import { assertPageAccess } from '../common/auth/page-access.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { assertPageId } from '../pancake/path-segments.js';
import { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type {
  CustomerListPage,
  CustomerListQuery,
  CustomerRecord,
} from '../pancake/pancake.model.js';
import { syncNotReady } from './mirror-errors.js';
import { MirrorEvents } from './mirror-events.js';
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
  private readonly statuses = new Map<string, { at: number; status: SyncStatusView }>();

  constructor(
    private readonly config: GatewayConfig,
    private readonly store: MirrorStore,
    private readonly state: SyncStateStore,
    private readonly events: MirrorEvents,
    private readonly metrics: GatewayMetrics,
  ) {}

  /** Whether this gateway's mirror can hold the page at all (a shared server, or synced here). */
  isMirrorable(pageId: string): boolean {
    return this.config.database.url !== null || this.config.mirror.pages.includes(pageId);
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
    const status = statusOf(pageId, row, new Date(), this.config.mirror);
    this.statuses.set(pageId, { at: Date.now(), status });
    return status;
  }

  /**
   * Where a read of the page goes: `asked` (or READ_SOURCE) resolved against the page's state.
   * MIRROR on a page that is not live is SYNC_NOT_READY, never a silent fallback.
   */
  async sourceFor(pageId: string, asked: DataSource | undefined): Promise<'MIRROR' | 'UPSTREAM'> {
    const wanted = asked ?? (this.config.mirror.readSource.toUpperCase() as DataSource);
    if (wanted === 'UPSTREAM') return 'UPSTREAM';
    const status = await this.recentStatus(pageId);
    const source = readSourceOf(wanted, status, this.config.mirror.maxLagSeconds);
    if (source === 'NOT_READY') throw syncNotReady(status);
    this.metrics.readSources.inc({ source: source.toLowerCase() });
    return source;
  }

  list(pageId: string, query: CustomerListQuery): Promise<CustomerListPage> {
    return this.store.list(pageId, query);
  }

  get(pageId: string, id: string): Promise<CustomerRecord | null> {
    return this.isMirrorable(pageId) ? this.store.get(pageId, id) : Promise.resolve(null);
  }

  /** A customer as the gateway just read it back after its own write: mirrored at once. */
  async recordGatewayRead(pageId: string, records: readonly CustomerRecord[]): Promise<void> {
    if (!this.isMirrorable(pageId) || records.length === 0) return;
    const result = await this.store.apply(pageId, records, 'GATEWAY');
    for (const event of result.events)
      this.metrics.mirrorEvents.inc({ page: pageId, type: event.type, origin: event.origin });
    this.events.publish(result.events);
    this.statuses.delete(pageId);
  }

  private async recentStatus(pageId: string): Promise<SyncStatusView> {
    const known = this.statuses.get(pageId);
    if (known && Date.now() - known.at < STATUS_REUSE_MS) return known.status;
    return this.status(pageId);
  }
}
