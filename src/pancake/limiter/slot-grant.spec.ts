import { grantSlot } from './slot-grant.js';

describe('grantSlot', () => {
  let clock = 0;
  let pausedUntil = 0;
  const grant = (slotAt: number, lateSince?: number) =>
    grantSlot({
      slotAt,
      lateSince,
      waitedMs: 0,
      lateToleranceMs: 25,
      pausedUntil: () => pausedUntil,
      now: () => clock,
    });
  beforeEach(() => {
    clock = 0;
    pausedUntil = 0;
  });

  it('may depart up to lateToleranceMs after its slot, not later', () => {
    const slot = grant(1000);
    for (const [at, may] of [
      [1000, true],
      [1025, true],
      [1026, false],
      [1300, false],
    ] as const) {
      clock = at;
      expect(slot.mayDepart()).toBe(may);
    }
  });

  it('is asked again each time: a grant valid at wake-up can be missed by the write', () => {
    const slot = grant(1000);
    clock = 1005; // the caller wakes
    expect(slot.mayDepart()).toBe(true);
    clock = 1305; // a 300 ms stall, then undici is about to write
    expect(slot.mayDepart()).toBe(false);
  });

  it('counts lateness from lateSince when a remote clock placed the slot', () => {
    // Reserved at 1000 on Redis with no wait; the reply was read 40 ms later (a stall).
    const slot = grant(1040, 1000);
    clock = 1040;
    expect(slot.mayDepart()).toBe(false);
    const quick = grant(1002, 1000); // the usual 2 ms round trip
    clock = 1002;
    expect(quick.mayDepart()).toBe(true);
  });

  it('may not depart once a pause learned later covers the slot', () => {
    const slot = grant(1000);
    clock = 1000;
    expect(slot.mayDepart()).toBe(true);
    pausedUntil = 2000; // a 429 elsewhere paused the page
    expect(slot.mayDepart()).toBe(false);
    pausedUntil = 1000; // a pause ending at the slot does not cover it
    expect(slot.mayDepart()).toBe(true);
  });
});
