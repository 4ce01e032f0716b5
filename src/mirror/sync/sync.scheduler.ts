import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import {
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { GatewayConfig } from '../../config/gateway-config.js';
import { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import { PancakeClient } from '../../pancake/pancake.client.js';
import { MirrorEvents } from '../mirror-events.js';
import { MirrorStore } from '../mirror.store.js';
import { SyncStateStore } from '../sync-state.store.js';
import { PageSync } from './page-sync.js';

/** Longest the shutdown waits for a sync step in flight before releasing its lease. */
const SHUTDOWN_WAIT_MS = 2000;

/**
 * Starts one PageSync per page of SYNC_PAGES when the app has booted; each competes for its
 * page's lease, so across replicas exactly one polls a page. Stopped (leases released) at
 * shutdown, before the database closes.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('MirrorSync');
  private readonly abort = new AbortController();
  private running: Promise<void>[] = [];
  private syncs: PageSync[] = [];
  /** This replica as a lease owner: readable in the table, unique per process start. */
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

  constructor(
    private readonly config: GatewayConfig,
    private readonly pancake: PancakeClient,
    private readonly mirror: MirrorStore,
    private readonly state: SyncStateStore,
    private readonly metrics: GatewayMetrics,
    private readonly events: MirrorEvents,
  ) {}

  onApplicationBootstrap(): void {
    const { mirror, pancake } = this.config;
    this.syncs = mirror.pages.map(
      (pageId) =>
        new PageSync(
          {
            pageId,
            owner: this.owner,
            intervalSeconds: mirror.intervalSeconds,
            reconcileIntervalSeconds: mirror.reconcileIntervalSeconds,
            maxRequestsPerSecond: mirror.maxRequestsPerSecond,
            pageLimitPerSecond: pancake.rateLimitPerSecond,
          },
          {
            pancake: this.pancake,
            mirror: this.mirror,
            state: this.state,
            metrics: this.metrics,
            logger: this.logger,
            onEvents: (events) => this.events.publish(events),
          },
        ),
    );
    this.running = this.syncs.map((sync) => sync.run(this.abort.signal));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    // A step waiting on a slow upstream answer must not hold the shutdown: after a short wait
    // its lease goes anyway, and whatever it would still write is refused by the fence.
    await Promise.race([Promise.allSettled(this.running), sleep(SHUTDOWN_WAIT_MS)]);
    await Promise.allSettled(this.syncs.map((sync) => sync.releaseLease()));
  }
}
