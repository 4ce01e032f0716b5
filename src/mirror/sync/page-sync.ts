import type { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '../../common/errors/error-code.js';
import { GatewayError } from '../../common/errors/gateway-error.js';
import type { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import type { PancakeClient } from '../../pancake/pancake.client.js';
import type { CustomerRecord } from '../../pancake/pancake.model.js';
import { LeaseLostError } from '../mirror-errors.js';
import type { MirrorStore, PositionUpdate, StoredEvent } from '../mirror.store.js';
import type { Lease, PageSyncRow, SyncStateStore } from '../sync-state.store.js';
import {
  advance,
  isFinished,
  requestOf,
  SCAN_PAGE_SIZE,
  startScan,
  type ScanPosition,
} from './scan-window.policy.js';
import {
  backfillProgressOf,
  failureBackoffMs,
  lagSecondsOf,
  nextWork,
  type SyncTimings,
} from './sync-plan.policy.js';

export interface PageSyncOptions extends SyncTimings {
  pageId: string;
  /** This replica's id (lease owner). */
  owner: string;
  maxRequestsPerSecond: number;
  /** Page limit (req/s): a refused background slot is asked again after one slot. */
  pageLimitPerSecond: number;
  /** Consecutive failures after which the page shows FAILED (it keeps retrying). */
  failuresBeforeFailed?: number;
}

export interface PageSyncDeps {
  pancake: PancakeClient;
  mirror: MirrorStore;
  state: SyncStateStore;
  metrics: GatewayMetrics;
  logger: Logger;
  onEvents: (events: StoredEvent[]) => void;
}

/** Failures that no retry fixes soon: the page's token was refused. */
const FATAL_CODES = new Set<string>([ErrorCode.UNAUTHENTICATED, ErrorCode.FORBIDDEN]);

/**
 * One page's sync: competes for the page's lease, and while it holds it backfills, polls
 * deltas, and re-sweeps, each upstream request paced to the sync's share of the page limit.
 */
export class PageSync {
  private lastRequestAt = 0;
  private lease: Lease | null = null;
  private leaseRenewedAt = 0;
  /** Set when a renewal found the lease taken: the next step stops leading. */
  private leaseLost = false;

  constructor(
    private readonly options: PageSyncOptions,
    private readonly deps: PageSyncDeps,
  ) {}

  /**
   * Lease TTL: one interval (at least 1 s). Followers look every quarter of it, so a killed
   * leader's page is taken over within 1.25 intervals; the leader renews every third of it,
   * on a timer too (see leadWithHeartbeat).
   */
  get leaseTtlMs(): number {
    return Math.max(1000, this.options.intervalSeconds * 1000);
  }

  async run(signal: AbortSignal): Promise<void> {
    const { pageId, owner } = this.options;
    while (!signal.aborted) {
      try {
        this.lease = await this.deps.state.acquire(pageId, owner, this.leaseTtlMs);
        if (this.lease) {
          this.leaseRenewedAt = Date.now();
          this.leaseLost = false;
          await this.leadWithHeartbeat(signal);
        }
      } catch (error) {
        if (signal.aborted) break;
        this.report(error);
        this.lease = null;
      }
      // Followers look again four times a lease TTL; the leader only gets here after losing it.
      await pause(this.leaseTtlMs / 4, signal);
    }
    await this.releaseLease();
  }

  /** Gives the lease up (shutdown) so another replica takes over at once; idempotent. */
  async releaseLease(): Promise<void> {
    const lease = this.lease;
    this.lease = null;
    if (lease) await this.deps.state.release(lease).catch(() => undefined);
  }

  /**
   * Leads while renewing the lease on a timer too: one upstream request (timeouts, retries)
   * may outlast the lease, and a leader must not look gone while it waits for an answer.
   */
  private async leadWithHeartbeat(signal: AbortSignal): Promise<void> {
    const heartbeat = setInterval(
      () => void this.keepLease().catch(() => undefined),
      this.leaseTtlMs / 3,
    );
    heartbeat.unref();
    try {
      await this.lead(signal);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async lead(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      await this.keepLease();
      const row = await this.deps.state.read(this.options.pageId);
      if (!row) return;
      this.publishGauges(row);
      try {
        const waitMs = await this.work(row, signal);
        failures = 0;
        if (waitMs > 0) await pause(Math.min(waitMs, this.leaseTtlMs / 3), signal);
      } catch (error) {
        if (error instanceof LeaseLostError || signal.aborted) throw error;
        failures += 1;
        const fatal = error instanceof GatewayError && FATAL_CODES.has(error.code);
        const failed = fatal || failures >= (this.options.failuresBeforeFailed ?? 5);
        await this.deps.state.recordFailure(
          this.lease!,
          messageOf(error),
          failed ? 'FAILED' : undefined,
        );
        this.report(error);
        await pause(fatal ? 60_000 : failureBackoffMs(failures), signal);
      }
    }
  }

  /** Does the next piece of work; returns how long to wait before looking again. */
  private async work(row: PageSyncRow, signal: AbortSignal): Promise<number> {
    const work = nextWork(row, new Date(), this.options);
    switch (work.kind) {
      case 'wait':
        return work.ms;
      case 'start-backfill':
        await this.position({
          state: 'BACKFILLING',
          scan_kind: 'backfill',
          scan_until: work.until,
          scan_seen: 0,
          scan_remaining: null,
          // The backfill's upper edge: where deltas start once it is done.
          watermark: work.until,
        });
        return 0;
      case 'start-reconcile':
        await this.position({
          scan_kind: 'reconcile',
          scan_until: work.until,
          scan_seen: 0,
          scan_remaining: null,
        });
        return 0;
      case 'scan-step':
        await this.scanStep(row, signal);
        return 0;
      case 'delta':
        await this.delta(work.since, work.until, row, signal);
        return 0;
    }
  }

  /**
   * One request of the backfill or reconcile in progress, saved with the rows it read. A
   * second holding more than a page is read whole here (its page numbers are not saved).
   */
  private async scanStep(row: PageSyncRow, signal: AbortSignal): Promise<void> {
    const kind = row.scanKind!;
    const customers: CustomerRecord[] = [];
    let next: ScanPosition | null = startScan(0, Math.floor(row.scanUntil!.getTime() / 1000));
    let remaining = 0;
    do {
      const read = await this.read(next, kind, signal);
      customers.push(...read.customers);
      if (read.step.done || isFinished(read.step.next)) next = null;
      else ({ next, remaining } = read.step);
    } while (next && next.pageNumber > 1);
    const seen = row.scanSeen + customers.length;
    const progress = { scan_seen: seen, failures: 0, last_error: null };
    const backfill = kind === 'backfill';
    await this.apply(
      customers,
      next
        ? {
            ...progress,
            scan_until: new Date(next.until * 1000),
            scan_remaining: remaining,
            ...(backfill ? { state: 'BACKFILLING' } : {}),
          }
        : {
            ...progress,
            scan_kind: null,
            scan_until: null,
            scan_remaining: 0,
            next_reconcile_at: new Date(Date.now() + this.options.reconcileIntervalSeconds * 1000),
            ...(backfill ? { state: 'LIVE' } : {}),
          },
    );
    if (!next) await this.deps.mirror.afterFullPass().catch((error: unknown) => this.report(error));
  }

  /** A delta pass [since, until], read whole, then the watermark moves to its upper edge. */
  private async delta(
    since: Date,
    until: Date,
    row: PageSyncRow,
    signal: AbortSignal,
  ): Promise<void> {
    let position: ScanPosition | null = startScan(
      Math.floor(since.getTime() / 1000),
      Math.floor(until.getTime() / 1000),
    );
    while (position) {
      const { customers, step } = await this.read(position, 'delta', signal);
      position = step.done || isFinished(step.next) ? null : step.next;
      const final: PositionUpdate['set'] = position
        ? {}
        : {
            watermark: until,
            last_polled_at: new Date(),
            failures: 0,
            last_error: null,
            ...(row.state !== 'LIVE' ? { state: 'LIVE' } : {}),
          };
      await this.apply(customers, final);
    }
  }

  private async read(position: ScanPosition, kind: string, signal: AbortSignal) {
    const request = requestOf(position);
    const page = await this.upstream(
      {
        since: new Date(request.since * 1000),
        until: new Date(request.until * 1000),
        pageNumber: request.pageNumber,
        pageSize: SCAN_PAGE_SIZE,
        orderBy: 'updated_at',
      },
      kind,
      signal,
    );
    const step = advance(position, {
      total: page.total,
      updatedAtMs: page.customers.map((c) => c.updatedAt?.getTime() ?? null),
    });
    return { customers: page.customers, step };
  }

  /**
   * One list request at the sync's pace, behind every client request: a refused background
   * slot is asked again one slot later, and is not a failure.
   */
  private async upstream(
    query: Parameters<PancakeClient['listCustomers']>[1],
    kind: string,
    signal: AbortSignal,
  ) {
    const { pageId, maxRequestsPerSecond, pageLimitPerSecond } = this.options;
    const spacingMs = 1000 / maxRequestsPerSecond;
    for (;;) {
      await pause(this.lastRequestAt + spacingMs - Date.now(), signal);
      await this.keepLease();
      try {
        this.lastRequestAt = Date.now();
        const page = await this.deps.pancake.listCustomers(pageId, query, 'background');
        this.deps.metrics.syncRequests.inc({ page: pageId, kind, outcome: 'ok' });
        return page;
      } catch (error) {
        const refusedSlot =
          error instanceof GatewayError &&
          error.code === ErrorCode.RATE_LIMITED &&
          !isUpstream429(error);
        this.deps.metrics.syncRequests.inc({
          page: pageId,
          kind,
          outcome: refusedSlot ? 'yielded' : 'failed',
        });
        if (!refusedSlot) throw error;
        this.lastRequestAt = 0;
        await pause(1000 / pageLimitPerSecond + Math.random() * 50, signal);
      }
    }
  }

  private async apply(customers: CustomerRecord[], set: PositionUpdate['set']): Promise<void> {
    const result = await this.deps.mirror.apply(this.options.pageId, customers, 'PANCAKE', {
      owner: this.lease!.owner,
      token: this.lease!.token,
      set,
    });
    for (const event of result.events)
      this.deps.metrics.mirrorEvents.inc({
        page: event.pageId,
        type: event.type,
        origin: event.origin,
      });
    if (result.events.length > 0) this.deps.onEvents(result.events);
  }

  private async position(set: PositionUpdate['set']): Promise<void> {
    await this.apply([], set);
  }

  /** Renews the lease a third of its TTL after the last renewal; throws when it was lost. */
  private async keepLease(): Promise<void> {
    if (this.leaseLost) throw new LeaseLostError(this.options.pageId);
    if (!this.lease || Date.now() - this.leaseRenewedAt < this.leaseTtlMs / 3) return;
    if (!(await this.deps.state.renew(this.lease, this.leaseTtlMs))) {
      this.leaseLost = true;
      throw new LeaseLostError(this.options.pageId);
    }
    this.leaseRenewedAt = Date.now();
  }

  /** The leader publishes its page's gauges each time it reads the row (lag: none while backfilling). */
  private publishGauges(row: PageSyncRow): void {
    const page = this.options.pageId;
    const { mirrorCustomers, mirrorLag, mirrorBackfillProgress } = this.deps.metrics;
    mirrorCustomers.set({ page }, row.customers);
    mirrorBackfillProgress.set({ page }, backfillProgressOf(row) ?? 0);
    const lag = lagSecondsOf(row, new Date());
    if (lag === null) mirrorLag.remove({ page });
    else mirrorLag.set({ page }, lag);
  }

  private report(error: unknown): void {
    this.deps.logger.warn({
      msg: 'Mirror sync step failed',
      pageId: this.options.pageId,
      error: messageOf(error),
    });
  }
}

/** A 429 from Pancake itself (the transport paused the page) rather than our own refusal. */
function isUpstream429(error: GatewayError): boolean {
  return (error.cause as { kind?: string } | undefined)?.kind === 'rate-limited';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0 || signal.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}
