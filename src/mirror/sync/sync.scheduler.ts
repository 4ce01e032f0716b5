import { hostname } from 'node:os';
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
    this.running = mirror.pages.map((pageId) =>
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
      ).run(this.abort.signal),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.abort.abort();
    await Promise.allSettled(this.running);
  }
}
