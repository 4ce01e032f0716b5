import type { PageSyncRow } from '../sync-state.store.js';
import {
  backfillProgressOf,
  lagSecondsOf,
  nextWork,
  SYNC_OVERLAP_SECONDS,
} from './sync-plan.policy.js';

const NOW = new Date('2026-01-01T00:00:10.500Z');
const timings = { intervalSeconds: 5, reconcileIntervalSeconds: 3600 };
const row = (extra: Partial<PageSyncRow> = {}): PageSyncRow => ({
  pageId: '111',
  state: 'LIVE',
  customers: 0,
  scanUntil: null,
  scanKind: null,
  scanSeen: 0,
  scanRemaining: null,
  watermark: new Date('2026-01-01T00:00:05Z'),
  lastPolledAt: new Date('2026-01-01T00:00:06Z'),
  nextReconcileAt: new Date('2026-01-01T01:00:00Z'),
  failures: 0,
  lastError: null,
  leaseExpiresAt: null,
  ...extra,
});

describe('sync plan', () => {
  it('backfills a page never synced, up to a whole second below now', () => {
    expect(nextWork(row({ watermark: null, lastPolledAt: null }), NOW, timings)).toEqual({
      kind: 'start-backfill',
      until: new Date('2026-01-01T00:00:09Z'),
    });
  });

  it('goes on with a backfill in progress (after a restart too)', () => {
    expect(nextWork(row({ scanKind: 'backfill', scanUntil: new Date() }), NOW, timings).kind).toBe(
      'scan-step',
    );
  });

  it('polls a delta with the overlap once the interval has passed', () => {
    const work = nextWork(row({ lastPolledAt: new Date('2026-01-01T00:00:05Z') }), NOW, timings);
    expect(work).toEqual({
      kind: 'delta',
      since: new Date(new Date('2026-01-01T00:00:05Z').getTime() - SYNC_OVERLAP_SECONDS * 1000),
      until: new Date('2026-01-01T00:00:09Z'),
    });
  });

  it('waits for the next delta, and puts deltas before a reconcile in progress', () => {
    expect(nextWork(row(), NOW, timings)).toEqual({ kind: 'wait', ms: 500 });
    const reconciling = row({ scanKind: 'reconcile', scanUntil: new Date() });
    expect(nextWork(reconciling, NOW, timings).kind).toBe('scan-step');
    expect(nextWork({ ...reconciling, lastPolledAt: new Date(0) }, NOW, timings).kind).toBe(
      'delta',
    );
  });

  it('starts a reconcile when it is due', () => {
    expect(nextWork(row({ nextReconcileAt: new Date(0) }), NOW, timings).kind).toBe(
      'start-reconcile',
    );
  });

  it('reports backfill progress and lag', () => {
    expect(
      backfillProgressOf(row({ scanKind: 'backfill', scanSeen: 300, scanRemaining: 700 })),
    ).toBe(0.3);
    expect(backfillProgressOf(row())).toBe(1);
    expect(backfillProgressOf(row({ watermark: null }))).toBeNull();
    expect(lagSecondsOf(row(), NOW)).toBe(5.5);
    expect(lagSecondsOf(row({ scanKind: 'backfill' }), NOW)).toBeNull();
  });
});
