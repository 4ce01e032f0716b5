import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { GATEWAY_VERSION } from '../config/build-info.js';

const LATENCY_BUCKETS_SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];
const WAIT_BUCKETS_SECONDS = [0, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

/**
 * Every metric the gateway exports, on its own registry (one per app instance, so tests
 * can boot several apps). Labels are bounded: operation names, status classes, configured
 * page ids; never customer or note ids, keys or tokens.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly httpDuration = new Histogram({
    name: 'gateway_http_request_duration_seconds',
    help: 'HTTP request latency by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  /** Always 1; the version is in the label (the usual Prometheus build_info pattern). */
  readonly buildInfo = new Gauge({
    name: 'gateway_build_info',
    help: 'The running build: version from package.json',
    labelNames: ['version'] as const,
    registers: [this.registry],
  });

  readonly graphqlDuration = new Histogram({
    name: 'gateway_graphql_operation_duration_seconds',
    help: 'GraphQL operation latency by operation name and outcome',
    labelNames: ['operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  readonly upstreamRequests = new Counter({
    name: 'pancake_upstream_requests_total',
    help: 'Requests sent to Pancake by operation and HTTP status (or network)',
    labelNames: ['operation', 'status'] as const,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'pancake_upstream_request_duration_seconds',
    help: 'Pancake request latency by operation',
    labelNames: ['operation'] as const,
    buckets: LATENCY_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  readonly upstreamRetries = new Counter({
    name: 'pancake_upstream_retries_total',
    help: 'Retries of Pancake requests by operation and failure kind',
    labelNames: ['operation', 'reason'] as const,
    registers: [this.registry],
  });

  readonly limiterWait = new Histogram({
    name: 'pancake_rate_limiter_wait_seconds',
    help: 'Time requests waited for a rate-limit slot, per page',
    labelNames: ['page'] as const,
    buckets: WAIT_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  readonly limiterQueue = new Gauge({
    name: 'pancake_rate_limiter_queue_length',
    help: 'Requests waiting for a rate-limit slot in this process, per page',
    labelNames: ['page'] as const,
    registers: [this.registry],
  });

  readonly limiterRejections = new Counter({
    name: 'pancake_rate_limiter_rejections_total',
    help: 'Requests refused because their wait would exceed the bound, per page',
    labelNames: ['page'] as const,
    registers: [this.registry],
  });

  readonly limiterMissedSlots = new Counter({
    name: 'pancake_rate_limiter_missed_slots_total',
    help: 'Requests dropped unsent because they could no longer leave in their slot (stalls, connection waits), per page',
    labelNames: ['page'] as const,
    registers: [this.registry],
  });

  readonly cacheEvents = new Counter({
    name: 'gateway_cache_events_total',
    help: 'Read cache outcomes: hit, miss, coalesced, stale, bypass',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly cacheBytes = new Gauge({
    name: 'gateway_cache_bytes',
    help: 'Bytes the in-process caches are accounted for against CACHE_MAX_BYTES, by kind: read, replay, index',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly lockWait = new Histogram({
    name: 'gateway_customer_lock_wait_seconds',
    help: 'Time writes waited for the per-customer lock',
    buckets: WAIT_BUCKETS_SECONDS,
    registers: [this.registry],
  });

  readonly writesInDoubt = new Counter({
    name: 'gateway_writes_in_doubt_total',
    help: 'Upstream writes that got no answer and may still land (the customer is fenced)',
    labelNames: ['operation'] as const,
    registers: [this.registry],
  });

  readonly writeVerdicts = new Counter({
    name: 'gateway_write_verdicts_total',
    help: 'How writes in doubt ended: landed (seen by a read) or not-landed (quarantine passed)',
    labelNames: ['operation', 'verdict'] as const,
    registers: [this.registry],
  });

  readonly writesFenced = new Counter({
    name: 'gateway_writes_fenced_total',
    help: 'Writes refused because an earlier write to the customer may still land',
    registers: [this.registry],
  });

  readonly writeRepairs = new Counter({
    name: 'gateway_write_repairs_total',
    help: 'Acknowledged changes put back after a late write undid them (phone) or extra note copies removed (note)',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly mirrorLag = new Gauge({
    name: 'gateway_mirror_lag_seconds',
    help: 'Age of the newest complete sync pass of a page (how far the mirror may be behind)',
    labelNames: ['page'] as const,
    registers: [this.registry],
  });

  readonly mirrorCustomers = new Gauge({
    name: 'gateway_mirror_customers',
    help: 'Customers held in the mirror per page',
    labelNames: ['page'] as const,
    registers: [this.registry],
  });

  readonly mirrorBackfillProgress = new Gauge({
    name: 'gateway_mirror_backfill_progress',
    help: 'Share of a page already read by its backfill (0..1; 1 once live)',
    labelNames: ['page'] as const,
    registers: [this.registry],
  });

  readonly syncRequests = new Counter({
    name: 'gateway_sync_requests_total',
    help: 'List requests the mirror sync sent to Pancake, by page, pass kind and outcome',
    labelNames: ['page', 'kind', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly mirrorEvents = new Counter({
    name: 'gateway_mirror_events_total',
    help: 'Customer events recorded, by page, type and origin',
    labelNames: ['page', 'type', 'origin'] as const,
    registers: [this.registry],
  });

  readonly readSources = new Counter({
    name: 'gateway_read_source_total',
    help: 'Customer reads by where they were answered from (mirror or upstream)',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  readonly webhookDeliveries = new Counter({
    name: 'gateway_webhook_deliveries_total',
    help: 'Webhook attempts by outcome: succeeded, retry (failed, tried again later), dead (last attempt failed), disabled (410)',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  readonly webhookAttemptDuration = new Histogram({
    name: 'gateway_webhook_attempt_duration_seconds',
    help: 'Webhook attempt latency (connect to answer), by outcome',
    labelNames: ['outcome'] as const,
    buckets: LATENCY_BUCKETS_SECONDS.concat([15]),
    registers: [this.registry],
  });

  readonly webhookQueueDepth = new Gauge({
    name: 'gateway_webhook_queue_depth',
    help: 'Webhook deliveries waiting for their first or next attempt (all replicas)',
    registers: [this.registry],
  });

  readonly webhookDead = new Gauge({
    name: 'gateway_webhook_dead_deliveries',
    help: 'Webhook deliveries that used every attempt (replayable), all replicas',
    registers: [this.registry],
  });

  private readonly scrapeHooks: Array<() => void> = [];

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    this.buildInfo.set({ version: GATEWAY_VERSION }, 1);
  }

  /** Runs just before each scrape: for gauges read off live state (queue lengths). */
  onScrape(hook: () => void): void {
    this.scrapeHooks.push(hook);
  }

  async render(): Promise<string> {
    for (const hook of this.scrapeHooks) hook();
    return this.registry.metrics();
  }
}
