// Where a customer read is answered from. Pure.

export type DataSource = 'AUTO' | 'MIRROR' | 'UPSTREAM';
export type SyncState = 'BACKFILLING' | 'LIVE' | 'PAUSED' | 'FAILED';

/** The contract's SyncStatus. */
export interface SyncStatusView {
  pageId: string;
  state: SyncState;
  customers: number;
  lastPolledAt: Date | null;
  lagSeconds: number | null;
  backfillProgress: number | null;
}

/**
 * AUTO reads the mirror when the page is live and at most maxLagSeconds behind, upstream
 * otherwise; MIRROR insists (NOT_READY when the page is not live); UPSTREAM never asks.
 */
export function readSourceOf(
  asked: DataSource,
  status: SyncStatusView,
  maxLagSeconds: number,
): 'MIRROR' | 'UPSTREAM' | 'NOT_READY' {
  if (asked === 'UPSTREAM') return 'UPSTREAM';
  const live = status.state === 'LIVE' && status.lagSeconds !== null;
  if (asked === 'MIRROR') return live ? 'MIRROR' : 'NOT_READY';
  return live && status.lagSeconds! <= maxLagSeconds ? 'MIRROR' : 'UPSTREAM';
}
