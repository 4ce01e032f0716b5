import { newRequestContext, runWithRequestContext } from '../../common/context/request-context.js';
import type { CustomerRecord } from '../../pancake/pancake.model.js';
import type { InDoubtWrite } from '../stores/write-ledger.js';
import { verifierTiming, verifyWrite, type CustomerReader } from './write-verifier.js';

const PHONES = ['+84901000001', '+84901000002'];

function customer(phoneNumbers: string[], updatedAtMs: number): CustomerRecord {
  return {
    id: 'c1',
    psid: '1',
    pageId: '111',
    globalCustomerId: null,
    name: null,
    phoneNumbers,
    emails: [],
    gender: null,
    livesIn: null,
    birthday: null,
    insertedAt: null,
    updatedAt: new Date(updatedAtMs),
    notes: [],
  };
}

function doubt(quarantineMs: number): InDoubtWrite {
  const now = Date.now();
  return {
    id: 'w',
    pageId: '111',
    customerId: 'c1',
    kind: 'update',
    sentAt: now,
    landsBy: now + quarantineMs,
    changes: { phoneNumbers: PHONES },
    baselineUpdatedAt: now - 60_000,
  };
}

/** A reader that shows the write from landAtMs on (and fails once, to prove failures are skipped). */
function reader(landAtMs: number): { read: CustomerReader; reads: () => number } {
  let reads = 0;
  return {
    reads: () => reads,
    read: async () => {
      reads += 1;
      if (reads === 1) throw new Error('a read that failed');
      return Date.now() >= landAtMs
        ? customer(PHONES, Date.now())
        : customer(PHONES.slice(0, 1), Date.now() - 60_000);
    },
  };
}

const timing = { firstPollMs: 20, maxPollMs: 40 };

describe('verifyWrite', () => {
  it('reports landed with the read that showed it', async () => {
    const d = doubt(2000);
    const { read } = reader(Date.now() + 150);
    const verdict = await verifyWrite(d, read, timing);
    expect(verdict.state).toBe('landed');
    expect(verdict.state === 'landed' && verdict.current.phoneNumbers).toEqual(PHONES);
  });

  it('reports not-landed once a read after the quarantine still does not show it', async () => {
    const d = doubt(200);
    const { read, reads } = reader(Number.POSITIVE_INFINITY);
    const verdict = await verifyWrite(d, read, timing);
    expect(verdict.state).toBe('not-landed');
    expect(Date.now()).toBeGreaterThan(d.landsBy);
    expect(reads()).toBeGreaterThan(2);
  });

  it('leaves the verdict open when the request deadline comes first', async () => {
    const d = doubt(5000);
    const { read } = reader(Number.POSITIVE_INFINITY);
    const context = newRequestContext('r', Date.now() + 300);
    const verdict = await runWithRequestContext(context, () => verifyWrite(d, read, timing));
    expect(verdict).toEqual({ state: 'undecided' });
    expect(Date.now()).toBeLessThan(d.landsBy);
  });

  it('polls sparsely for long quarantines and quickly for short ones', () => {
    expect(verifierTiming(60_000)).toEqual({ firstPollMs: 250, maxPollMs: 5000 });
    expect(verifierTiming(1000)).toEqual({ firstPollMs: 100, maxPollMs: 100 });
    expect(verifierTiming(100).maxPollMs).toBe(50);
  });
});
