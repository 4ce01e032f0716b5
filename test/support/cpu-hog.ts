import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { Rng } from '../../tools/pancake-sim/prng.js';

export interface CpuHogOptions {
  /** PRNG seed: print it, so a failing run can be replayed. */
  seed: number;
  minStallMs: number;
  maxStallMs: number;
  /** Longest pause between two timer stalls (the shortest is 0). */
  maxGapMs: number;
  /**
   * Also stall, with this probability, right when undici creates a request to this
   * origin, i.e. after the caller took its rate-limit slot and before the request is
   * written: where a GC pause or a descheduled process hits a request on its way out.
   * (Stalls run from timers alone only land there by chance: a timer stall runs between
   * two callbacks, and a woken caller usually reaches the socket within its own.)
   */
  afterDispatch?: { origin: string; probability: number };
}

export interface CpuHog {
  /** Stops stalling; returns the stalls made (ms each), and how many hit a request on its way out. */
  stop(): { stalls: number[]; afterDispatch: number };
}

const REQUEST_CREATED = 'undici:request:create';

/**
 * Starves this process's event loop: synchronous busy loops of random length at random
 * intervals, as a gateway under CPU load sees (GC, a big JSON.parse, a noisy neighbour).
 * Every timer, socket event and promise of the process waits while a stall runs.
 */
export function startCpuHog(options: CpuHogOptions): CpuHog {
  const rng = new Rng(options.seed);
  const stalls: number[] = [];
  const stall = (): void => {
    const stallMs = rng.int(options.minStallMs, options.maxStallMs);
    const until = Date.now() + stallMs;
    while (Date.now() < until) {
      // busy: nothing else in this process runs
    }
    stalls.push(stallMs);
  };
  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    timer = setTimeout(
      () => {
        stall();
        schedule();
      },
      rng.int(0, options.maxGapMs),
    );
  };
  schedule();
  const afterDispatch = options.afterDispatch;
  let afterDispatchStalls = 0;
  const onRequestCreated = (message: unknown): void => {
    const { request } = message as { request: { origin?: unknown } };
    if (String(request.origin) !== afterDispatch?.origin) return;
    if (!rng.chance(afterDispatch.probability)) return;
    afterDispatchStalls += 1;
    stall();
  };
  if (afterDispatch) subscribe(REQUEST_CREATED, onRequestCreated);
  return {
    stop() {
      clearTimeout(timer);
      if (afterDispatch) unsubscribe(REQUEST_CREATED, onRequestCreated);
      return { stalls, afterDispatch: afterDispatchStalls };
    },
  };
}
