import fc from 'fast-check';
import { alignWindowToTtlGrid } from './time-window.js';

const at = (iso: string): Date => new Date(iso);
const seconds = (date: Date): number => date.getTime() / 1000;

// Instants between 2000 and 2100, with milliseconds.
const instantMs = fc.integer({ min: 946_684_800_000, max: 4_102_444_800_000 });
const ttl = fc.integer({ min: 1, max: 86_400 });

describe('alignWindowToTtlGrid', () => {
  it('rounds an "until now" up to the next TTL multiple and floors since to seconds', () => {
    const now = at('2024-05-01T10:00:07.250Z');
    const aligned = alignWindowToTtlGrid(
      { since: at('2024-05-01T00:00:00.900Z'), until: now },
      30,
      now,
    );
    expect(aligned).toEqual({
      since: at('2024-05-01T00:00:00.000Z'),
      until: at('2024-05-01T10:00:30.000Z'),
    });
  });

  it('maps every "until now" within one grid cell to the same window', () => {
    const since = at('2024-05-01T00:00:00Z');
    const first = at('2024-05-01T10:00:00.001Z');
    const last = at('2024-05-01T10:00:30.000Z');
    expect(alignWindowToTtlGrid({ since, until: first }, 30, first)).toEqual(
      alignWindowToTtlGrid({ since, until: last }, 30, last),
    );
  });

  it('leaves an old until alone except for rounding it up to whole seconds', () => {
    const now = at('2024-05-01T10:00:00Z');
    const aligned = alignWindowToTtlGrid(
      { since: at('2024-04-01T00:00:00Z'), until: at('2024-04-30T12:34:56.001Z') },
      30,
      now,
    );
    expect(aligned.until).toEqual(at('2024-04-30T12:34:57.000Z'));
  });

  it('judges "recent" on the whole-second until, so aligning twice changes nothing', () => {
    const now = at('2024-05-01T10:00:30.500Z');
    const once = alignWindowToTtlGrid(
      { since: at('2024-05-01T00:00:00Z'), until: at('2024-05-01T10:00:00.400Z') },
      30,
      now,
    );
    expect(once.until).toEqual(at('2024-05-01T10:00:30.000Z'));
    expect(alignWindowToTtlGrid(once, 30, now)).toEqual(once);
  });

  it('rejects a TTL that is not a positive integer', () => {
    const now = new Date();
    expect(() => alignWindowToTtlGrid({ since: now, until: now }, 0, now)).toThrow(RangeError);
    expect(() => alignWindowToTtlGrid({ since: now, until: now }, 1.5, now)).toThrow(RangeError);
  });

  it('never asks for less than asked: since only floored, until never earlier (property)', () => {
    fc.assert(
      fc.property(instantMs, instantMs, instantMs, ttl, (a, b, nowMs, ttlSeconds) => {
        const [sinceMs, untilMs] = a <= b ? [a, b] : [b, a];
        const aligned = alignWindowToTtlGrid(
          { since: new Date(sinceMs), until: new Date(untilMs) },
          ttlSeconds,
          new Date(nowMs),
        );
        expect(Number.isInteger(seconds(aligned.since))).toBe(true);
        expect(Number.isInteger(seconds(aligned.until))).toBe(true);
        expect(aligned.since.getTime()).toBeLessThanOrEqual(sinceMs);
        expect(sinceMs - aligned.since.getTime()).toBeLessThan(1000);
        expect(aligned.until.getTime()).toBeGreaterThanOrEqual(untilMs);
      }),
    );
  });

  it('a recent or future until lands on the TTL grid, less than one TTL later (property)', () => {
    fc.assert(
      fc.property(
        instantMs,
        ttl,
        fc.integer({ min: -86_400_000, max: 86_400_000 }),
        (nowMs, ttlSeconds, offset) => {
          const untilMs = nowMs + Math.max(offset, -ttlSeconds * 1000);
          const aligned = alignWindowToTtlGrid(
            { since: new Date(untilMs - 1000), until: new Date(untilMs) },
            ttlSeconds,
            new Date(nowMs),
          );
          expect(seconds(aligned.until) % ttlSeconds).toBe(0);
          expect(aligned.until.getTime() - untilMs).toBeLessThan(ttlSeconds * 1000);
        },
      ),
    );
  });

  it('an until more than one TTL (and a second) old moves by less than a second (property)', () => {
    fc.assert(
      fc.property(
        instantMs,
        ttl,
        fc.integer({ min: 1000, max: 10 ** 9 }),
        (nowMs, ttlSeconds, extra) => {
          const untilMs = nowMs - ttlSeconds * 1000 - extra;
          const aligned = alignWindowToTtlGrid(
            { since: new Date(untilMs - 5000), until: new Date(untilMs) },
            ttlSeconds,
            new Date(nowMs),
          );
          expect(aligned.until.getTime() - untilMs).toBeLessThan(1000);
        },
      ),
    );
  });

  it('is idempotent for the same now (property)', () => {
    fc.assert(
      fc.property(
        instantMs,
        instantMs,
        ttl,
        fc.integer({ min: -100_000, max: 100_000 }),
        (sinceMs, nowMs, ttlSeconds, offset) => {
          const untilMs = Math.max(sinceMs, nowMs + offset);
          const now = new Date(nowMs);
          const once = alignWindowToTtlGrid(
            { since: new Date(sinceMs), until: new Date(untilMs) },
            ttlSeconds,
            now,
          );
          expect(alignWindowToTtlGrid(once, ttlSeconds, now)).toEqual(once);
        },
      ),
    );
  });
});
