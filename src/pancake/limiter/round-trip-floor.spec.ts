import { RoundTripFloor } from './round-trip-floor.js';

describe('RoundTripFloor', () => {
  it('is the fastest recent round trip: a stalled one does not raise it', () => {
    const floor = new RoundTripFloor(4);
    expect(floor.record(2)).toBe(2);
    expect(floor.record(1)).toBe(1);
    expect(floor.record(300)).toBe(1); // a stall: the excess over 1 ms counts as lateness
  });

  it('follows a Redis that became slower once the fast samples are old', () => {
    const floor = new RoundTripFloor(4);
    floor.record(1);
    for (let i = 0; i < 3; i += 1) expect(floor.record(30)).toBe(1);
    expect(floor.record(30)).toBe(30); // every recent round trip is slow: the network, not us
  });
});
