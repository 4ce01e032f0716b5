import fc from 'fast-check';
import { maxPerWindow } from './max-per-window.js';
import { reserveSlot, retryAfterSeconds, slotIntervalMs, type SlotState } from './reserve-slot.js';

/** Feeds arrival times through reserveSlot; returns the granted slot times and the refusal count. */
function simulate(arrivals: readonly number[], intervalMs: number, maxWaitMs: number) {
  let state: SlotState | undefined;
  const slots: number[] = [];
  let refused = 0;
  for (const now of arrivals) {
    const result = reserveSlot(state, now, intervalMs, maxWaitMs);
    if (result.granted) {
      state = result.state;
      slots.push(now + result.delayMs);
    } else {
      refused += 1;
    }
  }
  return { slots, refused };
}

/** Sorted arrival times from gaps. */
const arrivalsFrom = (start: number, gaps: number[]): number[] => {
  let t = start;
  return gaps.map((gap) => (t += gap));
};

describe('slotIntervalMs', () => {
  it('is ceil(1000 / limit * 1.05) by default: 210 ms for 5/s', () => {
    expect(slotIntervalMs(5)).toBe(210);
    expect(slotIntervalMs(1)).toBe(1050);
    expect(slotIntervalMs(3)).toBe(350);
    expect(slotIntervalMs(1000)).toBe(2);
  });

  it('takes the safety factor as an option', () => {
    expect(slotIntervalMs(5, 1)).toBe(200);
    expect(slotIntervalMs(5, 1.1)).toBe(220);
  });

  it('rejects limits and factors that would break the guarantee', () => {
    expect(() => slotIntervalMs(0)).toThrow(RangeError);
    expect(() => slotIntervalMs(5, 0.9)).toThrow(RangeError);
    expect(() => slotIntervalMs(Number.NaN)).toThrow(RangeError);
  });
});

describe('reserveSlot', () => {
  it('grants at once when free, then spaces slots intervalMs apart', () => {
    const first = reserveSlot(undefined, 1000, 210, 5000);
    expect(first).toEqual({ granted: true, delayMs: 0, state: { tat: 1210, pausedUntil: 0 } });
    const second = reserveSlot(first.granted ? first.state : undefined, 1000, 210, 5000);
    expect(second).toEqual({ granted: true, delayMs: 210, state: { tat: 1420, pausedUntil: 0 } });
  });

  it('never lets an idle period build up a burst', () => {
    const result = reserveSlot({ tat: 1000, pausedUntil: 0 }, 60_000, 210, 5000);
    expect(result).toEqual({ granted: true, delayMs: 0, state: { tat: 60_210, pausedUntil: 0 } });
  });

  it('refuses a slot beyond maxWaitMs, reports the wait, and consumes nothing', () => {
    const state: SlotState = { tat: 3000, pausedUntil: 0 };
    expect(reserveSlot(state, 1000, 210, 1999)).toEqual({ granted: false, waitMs: 2000 });
    expect(reserveSlot(state, 1000, 210, 2000)).toMatchObject({ granted: true, delayMs: 2000 });
    expect(state).toEqual({ tat: 3000, pausedUntil: 0 });
  });

  it('honours a pause', () => {
    const result = reserveSlot({ tat: 1100, pausedUntil: 5000 }, 1000, 210, 10_000);
    expect(result).toEqual({
      granted: true,
      delayMs: 4000,
      state: { tat: 5210, pausedUntil: 5000 },
    });
  });

  it('gives retry hints in whole seconds, at least 1', () => {
    expect(retryAfterSeconds(0)).toBe(1);
    expect(retryAfterSeconds(1001)).toBe(2);
  });

  it('property: no 1000 ms window holds more than `limit` slots, even with < 50 ms of send jitter', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 1e12 }),
        fc.array(fc.integer({ min: 0, max: 2000 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 20_000 }),
        fc.infiniteStream(fc.integer({ min: 0, max: 49 })),
        (limit, start, gaps, maxWaitMs, jitter) => {
          const { slots } = simulate(arrivalsFrom(start, gaps), slotIntervalMs(limit), maxWaitMs);
          expect(maxPerWindow(slots)).toBeLessThanOrEqual(limit);
          const jittered = slots.map((slot) => slot + jitter.next().value);
          expect(maxPerWindow(jittered)).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: at saturation the slots use at least 90 % of the budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 20, max: 400 }),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (limit, start, count, random) => {
          // Demand above the limit: every gap is shorter than 1000 / limit ms.
          const gaps = Array.from({ length: count }, () =>
            Math.floor((random.next().value * 1000) / limit),
          );
          const { slots, refused } = simulate(
            arrivalsFrom(start, gaps),
            slotIntervalMs(limit),
            Number.MAX_SAFE_INTEGER,
          );
          expect(refused).toBe(0);
          const span = slots[slots.length - 1] - slots[0] + slotIntervalMs(limit);
          const rate = (slots.length * 1000) / span;
          expect(rate).toBeGreaterThanOrEqual(0.9 * limit);
          expect(rate).toBeLessThanOrEqual(limit);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: grants wait at most maxWaitMs, refusals report a longer wait', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 100 }),
        fc.integer({ min: 0, max: 3000 }),
        (gaps, maxWaitMs) => {
          let state: SlotState | undefined;
          for (const now of arrivalsFrom(0, gaps)) {
            const result = reserveSlot(state, now, 210, maxWaitMs);
            if (result.granted) {
              expect(result.delayMs).toBeLessThanOrEqual(maxWaitMs);
              state = result.state;
            } else {
              expect(result.waitMs).toBeGreaterThan(maxWaitMs);
            }
          }
        },
      ),
    );
  });
});
