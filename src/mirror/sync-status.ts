import type { SyncStatusView } from './read-source.policy.js';
import type { PageSyncRow } from './sync-state.store.js';
import { backfillProgressOf, lagSecondsOf } from './sync/sync-plan.policy.js';

/** Leases missed for this many intervals mean no replica syncs the page: it shows PAUSED. */
const PAUSED_AFTER_INTERVALS = 3;

/** The contract's SyncStatus of a page from its stored row (none: never synced, PAUSED). */
export function statusOf(
  pageId: string,
  row: PageSyncRow | null,
  now: Date,
  timings: { intervalSeconds: number },
): SyncStatusView {
  if (!row)
    return {
      pageId,
      state: 'PAUSED',
      customers: 0,
      lastPolledAt: null,
      lagSeconds: null,
      backfillProgress: null,
    };
  const abandoned =
    row.leaseExpiresAt === null ||
    now.getTime() - row.leaseExpiresAt.getTime() >
      PAUSED_AFTER_INTERVALS * timings.intervalSeconds * 1000;
  return {
    pageId,
    state: abandoned && row.state !== 'FAILED' ? 'PAUSED' : row.state,
    customers: row.customers,
    lastPolledAt: row.lastPolledAt,
    lagSeconds: lagSecondsOf(row, now),
    backfillProgress: backfillProgressOf(row),
  };
}
