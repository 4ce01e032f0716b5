import { readSourceOf, type SyncStatusView } from './read-source.policy.js';

const status = (extra: Partial<SyncStatusView> = {}): SyncStatusView => ({
  pageId: '111',
  state: 'LIVE',
  customers: 10,
  lastPolledAt: new Date(),
  lagSeconds: 3,
  backfillProgress: 1,
  ...extra,
});

describe('read source', () => {
  it('reads the mirror in AUTO only when the page is live and current enough', () => {
    expect(readSourceOf('AUTO', status(), 30)).toBe('MIRROR');
    expect(readSourceOf('AUTO', status({ lagSeconds: 31 }), 30)).toBe('UPSTREAM');
    expect(readSourceOf('AUTO', status({ state: 'BACKFILLING', lagSeconds: null }), 30)).toBe(
      'UPSTREAM',
    );
    expect(readSourceOf('AUTO', status({ state: 'FAILED' }), 30)).toBe('UPSTREAM');
  });

  it('never falls back silently when the mirror is asked for', () => {
    expect(readSourceOf('MIRROR', status({ lagSeconds: 500 }), 30)).toBe('MIRROR');
    expect(readSourceOf('MIRROR', status({ state: 'BACKFILLING', lagSeconds: null }), 30)).toBe(
      'NOT_READY',
    );
    expect(readSourceOf('MIRROR', status({ state: 'PAUSED' }), 30)).toBe('NOT_READY');
  });

  it('goes upstream when asked, whatever the mirror', () => {
    expect(readSourceOf('UPSTREAM', status(), 30)).toBe('UPSTREAM');
  });
});
