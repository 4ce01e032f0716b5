// What a page's sync leader does next, from its stored row and the clock. Pure.
import type { PageSyncRow } from '../sync-state.store.js';

/** Seconds below "now" a pass stops at: the current second may still be filling. */
export const SYNC_LAG_SECONDS = 1;
/**
 * Seconds each delta reads again below the last one's upper edge: catches changes that show
 * up late (upstream replicas) and rows of the edge second that were written after it was read.
 */
export const SYNC_OVERLAP_SECONDS = 30;

export interface SyncTimings {
  intervalSeconds: number;
  reconcileIntervalSeconds: number;
}

export type SyncWork =
  | { kind: 'start-backfill'; until: Date }
  | { kind: 'scan-step' }
  | { kind: 'delta'; since: Date; until: Date }
  | { kind: 'start-reconcile'; until: Date }
  | { kind: 'wait'; ms: number };

export function nextWork(row: PageSyncRow, now: Date, timings: SyncTimings): SyncWork {
  const edge = new Date(Math.floor(now.getTime() / 1000) * 1000 - SYNC_LAG_SECONDS * 1000);
  if (row.scanKind === 'backfill') return { kind: 'scan-step' };
  if (row.watermark === null) return { kind: 'start-backfill', until: edge };
  const deltaDueAt = (row.lastPolledAt?.getTime() ?? 0) + timings.intervalSeconds * 1000;
  // Deltas go before a reconcile's steps, so the mirror stays current while it re-sweeps.
  if (deltaDueAt <= now.getTime()) {
    const since = new Date(row.watermark!.getTime() - SYNC_OVERLAP_SECONDS * 1000);
    return { kind: 'delta', since, until: edge < since ? since : edge };
  }
  if (row.scanKind === 'reconcile') return { kind: 'scan-step' };
  const reconcileDueAt = row.nextReconcileAt?.getTime() ?? 0;
  if (reconcileDueAt <= now.getTime()) return { kind: 'start-reconcile', until: edge };
  return { kind: 'wait', ms: Math.max(1, Math.min(deltaDueAt, reconcileDueAt) - now.getTime()) };
}

/** 0..1 share read of the pass in progress; null when no backfill runs and none finished. */
export function backfillProgressOf(row: PageSyncRow): number | null {
  if (row.scanKind === 'backfill') {
    const remaining = row.scanRemaining ?? null;
    if (remaining === null) return 0;
    const whole = row.scanSeen + remaining;
    return whole === 0 ? 0 : Math.min(1, row.scanSeen / whole);
  }
  return row.watermark ? 1 : null;
}

/** Seconds the mirror may be behind upstream: since the upper edge of the last complete pass. */
export function lagSecondsOf(row: PageSyncRow, now: Date): number | null {
  if (!row.watermark || row.scanKind === 'backfill') return null;
  return Math.max(0, (now.getTime() - row.watermark.getTime()) / 1000);
}

/** Wait before retrying after `failures` failures in a row: 1 s doubling, at most 60 s. */
export function failureBackoffMs(failures: number): number {
  return Math.min(60_000, 1000 * 2 ** Math.max(0, failures - 1));
}
