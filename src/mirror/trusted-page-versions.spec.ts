import { TrustedPageVersions } from './trusted-page-versions.js';

/** A database whose answers the test releases by hand, counting the questions. */
function database() {
  const answers: Array<(version: number) => void> = [];
  return {
    asked: () => answers.length,
    ask: () => new Promise<number>((resolve) => answers.push(resolve)),
    answer: (index: number, version: number) => answers[index](version),
  };
}

/** Lets a background refresh, sent after the read that noticed (setImmediate), go out. */
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('TrustedPageVersions', () => {
  let now = 1_000;
  const clock = () => now;

  beforeEach(() => {
    now = 1_000;
  });

  it('reuses a version for trustMs after the query that read it was sent, then asks again', async () => {
    const versions = new TrustedPageVersions(20, clock);
    const db = database();
    const first = versions.get('111', db.ask);
    now += 5; // answered 5 ms after it was asked: trusted from the asking, not the answer
    db.answer(0, 7);
    expect(await first).toBe(7);
    now = 1_009;
    expect(await versions.get('111', db.ask)).toBe(7);
    expect(db.asked()).toBe(1);
    now = 1_020;
    const second = versions.get('111', db.ask);
    expect(db.asked()).toBe(2);
    db.answer(1, 8);
    expect(await second).toBe(8);
  });

  it('past half its trust answers with the known version and asks again in the background', async () => {
    const versions = new TrustedPageVersions(20, clock);
    const db = database();
    const first = versions.get('111', db.ask);
    db.answer(0, 7);
    await first;
    now = 1_010;
    expect(await versions.get('111', db.ask)).toBe(7); // not waiting for the query it sends
    expect(db.asked()).toBe(1); // sent once this read has answered
    await nextTurn();
    expect(db.asked()).toBe(2);
    now = 1_015;
    expect(await versions.get('111', db.ask)).toBe(7);
    expect(db.asked()).toBe(2); // one refresh at a time
    db.answer(1, 9);
    await Promise.resolve();
    now = 1_029; // 29 ms after the first query, 19 after the refresh: the refresh's answer
    expect(await versions.get('111', db.ask)).toBe(9);
  });

  it('a failed background refresh leaves the next read past the trust to ask', async () => {
    const versions = new TrustedPageVersions(20, clock);
    const db = database();
    const first = versions.get('111', db.ask);
    db.answer(0, 7);
    await first;
    now = 1_012;
    let refreshes = 0;
    const failing = () => {
      refreshes += 1;
      return Promise.reject(new Error('down'));
    };
    expect(await versions.get('111', failing)).toBe(7);
    await nextTurn();
    expect(refreshes).toBe(1);
    now = 1_020;
    const next = versions.get('111', db.ask);
    expect(db.asked()).toBe(2);
    db.answer(1, 8);
    expect(await next).toBe(8);
  });

  it('lets reads join a query in flight only while it was sent within trustMs', async () => {
    const versions = new TrustedPageVersions(20, clock);
    const db = database();
    const first = versions.get('111', db.ask);
    now += 10;
    const joined = versions.get('111', db.ask);
    expect(db.asked()).toBe(1);
    now += 15; // the query in flight was sent 25 ms ago: it may predate a write that answered since
    const fresh = versions.get('111', db.ask);
    expect(db.asked()).toBe(2);
    db.answer(0, 3);
    db.answer(1, 4);
    expect([await first, await joined, await fresh]).toEqual([3, 3, 4]);
  });

  it('never goes back to an older version when answers arrive out of order', async () => {
    const versions = new TrustedPageVersions(20, clock);
    const db = database();
    const early = versions.get('111', db.ask);
    now += 30;
    const late = versions.get('111', db.ask);
    db.answer(1, 9);
    expect(await late).toBe(9);
    db.answer(0, 5); // the earlier query, answered last
    expect(await early).toBe(9);
    now += 5;
    expect(await versions.get('111', db.ask)).toBe(9);
    expect(db.asked()).toBe(2);
  });

  it("moves with this process's commits without trusting them longer", async () => {
    const versions = new TrustedPageVersions(20, clock);
    const db = database();
    versions.moved('111', 4); // not known yet: nothing to move
    const first = versions.get('111', db.ask);
    db.answer(0, 4);
    await first;
    versions.moved('111', 6);
    versions.moved('111', 5);
    now += 5;
    expect(await versions.get('111', db.ask)).toBe(6);
    expect(db.asked()).toBe(1);
    now += 15; // 20 ms after the query: the commits since did not extend its trust
    const next = versions.get('111', db.ask);
    expect(db.asked()).toBe(2);
    db.answer(1, 7);
    expect(await next).toBe(7);
  });

  it('with an infinite trust asks once per page, then keeps the highest version committed', async () => {
    const versions = new TrustedPageVersions(Infinity, clock);
    const db = database();
    const first = versions.get('111', db.ask);
    const other = versions.get('222', db.ask);
    db.answer(0, 5);
    db.answer(1, 1);
    expect([await first, await other]).toEqual([5, 1]);
    versions.moved('111', 6);
    versions.moved('111', 5); // an earlier apply's commit, reported after a later one
    now += 3_600_000;
    expect(await versions.get('111', db.ask)).toBe(6);
    versions.moved('111', 7);
    expect(await versions.get('111', db.ask)).toBe(7);
    expect(await versions.get('222', db.ask)).toBe(1);
    await nextTurn();
    expect(db.asked()).toBe(2);
  });

  it('asks every time with trustMs 0, and keeps pages apart', async () => {
    const versions = new TrustedPageVersions(0, clock);
    const db = database();
    const a = versions.get('111', db.ask);
    const b = versions.get('111', db.ask);
    const c = versions.get('222', db.ask);
    expect(db.asked()).toBe(3);
    db.answer(0, 1);
    db.answer(1, 2);
    db.answer(2, 30);
    expect([await a, await b, await c]).toEqual([1, 2, 30]);
  });

  it('forgets a failed query, so the next read asks again', async () => {
    const versions = new TrustedPageVersions(20, clock);
    await expect(versions.get('111', () => Promise.reject(new Error('down')))).rejects.toThrow(
      'down',
    );
    const db = database();
    const next = versions.get('111', db.ask);
    expect(db.asked()).toBe(1);
    db.answer(0, 2);
    expect(await next).toBe(2);
  });
});
