/**
 * The page limit holds at the moment requests leave, even when the gateway's event loop
 * is starved: the real app (in this process) serves one page at 3x its limit while a CPU
 * hog blocks this process with busy loops of random length at random intervals. The
 * simulator runs in its own process, so its arrival clock and rate window keep running
 * through the stalls; its request log must show no 429 and at most 5 arrivals in any
 * 1000 ms window.
 *
 * A request leaves late when something holds it between its slot and the socket: a stall
 * right there (the hog also stalls as undici creates a request, where a GC pause or a
 * descheduled process would hit it), or a wait for a connection that slow answers hold.
 * One test each. Before the departure gate (lateness was only checked when the caller
 * woke), 10 runs of this file: the stall test saw 6 arrivals in a window and a 429 in 6,
 * the connection-wait test in 8, the file failed in all 10.
 */
import { maxPerWindow } from '../src/pancake/limiter/max-per-window.js';
import { Rng } from '../tools/pancake-sim/prng.js';
import type { FaultSpec } from '../tools/pancake-sim/types.js';
import { startCpuHog } from './support/cpu-hog.js';
import { ALL_TIME, bearer, startGateway } from './support/gateway.js';
import { startSimulatorProcess, type SimulatorProcess } from './support/sim-process.js';

const LIMIT = 5;
const CALLERS = 3 * LIMIT; // each with one request outstanding: 3x the limit in demand
const LOAD_MS = 5000;
const SIM_LATENCY_MS = 50;
const STALL_MS = { minStallMs: 20, maxStallMs: 300 };

interface Scenario {
  env?: Record<string, string>;
  /** Longest pause between two timer stalls. */
  maxGapMs: number;
  /** Probability of a stall as each upstream request is created (after its slot, before the write). */
  stallAfterDispatch: number;
  faults?: (seed: number) => FaultSpec[];
}

/** Every 1-2 answers, one that takes 0.6-1.8 s: a slow Pancake holding connections. */
function latencySpikes(seed: number, requests: number): FaultSpec[] {
  const rng = new Rng(seed);
  const faults: FaultSpec[] = [];
  for (let n = 0; n < requests;) {
    const quick = rng.int(1, 2);
    faults.push({ kind: 'latency', latencyMs: 1, count: quick });
    faults.push({ kind: 'latency', latencyMs: rng.int(600, 1800), count: 1 });
    n += quick + 1;
  }
  return faults;
}

describe('page limit under CPU starvation (gateway stalled, simulator in its own process)', () => {
  let sim: SimulatorProcess;

  beforeAll(async () => {
    sim = await startSimulatorProcess([
      '--customers',
      '50',
      '--rate-limit',
      String(LIMIT),
      '--latency',
      String(SIM_LATENCY_MS),
    ]);
  });
  afterAll(async () => {
    await sim?.close();
  });

  /** Runs the page at 3x its limit under the hog; returns what the simulator saw. */
  async function underCpuHog(label: string, scenario: Scenario) {
    const gateway = await startGateway(sim, {
      PANCAKE_RATE_LIMIT_PER_SECOND: String(LIMIT),
      ...scenario.env,
    });
    try {
      const pageId = sim.pages[0].pageId;
      const base = `${gateway.url}/v1/pages/${pageId}/customers?since=${ALL_TIME.since}&until=${ALL_TIME.until}&pageSize=1`;
      const headers = { authorization: bearer() };
      // Warm the app up (first-request compilation), let its rate window pass, start clean.
      await (await fetch(`${base}&pageNumber=1`, { headers })).arrayBuffer();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      await sim.clearLog();
      const seed = Math.floor(Math.random() * 2 ** 31);
      if (scenario.faults) await sim.addFaults(scenario.faults(seed));

      const answers: Record<number, number> = {};
      let nextPageNumber = 2; // a new window each time: every request is a cache miss
      const stopAt = Date.now() + LOAD_MS;
      const hog = startCpuHog({
        seed,
        ...STALL_MS,
        maxGapMs: scenario.maxGapMs,
        afterDispatch: {
          origin: new URL(sim.url).origin,
          probability: scenario.stallAfterDispatch,
        },
      });
      const caller = async (): Promise<void> => {
        while (Date.now() < stopAt) {
          const response = await fetch(`${base}&pageNumber=${nextPageNumber++}`, { headers });
          await response.arrayBuffer();
          answers[response.status] = (answers[response.status] ?? 0) + 1;
        }
      };
      await Promise.all(Array.from({ length: CALLERS }, caller));
      const { stalls, afterDispatch } = hog.stop();

      const log = (await sim.requestLog(pageId)).filter((entry) => entry.operation === 'list');
      const arrivals = log.map((entry) => entry.receivedAt).sort((a, b) => a - b);
      const outcome = {
        arrivals: arrivals.length,
        maxWindow: maxPerWindow(arrivals),
        throttled: log.filter((entry) => entry.status === 429).length,
        answers,
      };
      process.stdout.write(
        `\n[rate-limit-cpu-stall] ${label}, seed ${seed}: ${stalls.length} stalls ` +
          `(${stalls.reduce((sum, ms) => sum + ms, 0)} ms, longest ${Math.max(...stalls)} ms; ` +
          `${afterDispatch} of them on a request on its way out); ` +
          `${outcome.arrivals} upstream requests, max ${outcome.maxWindow} in any 1000 ms, ` +
          `${outcome.throttled} x 429; gateway answers ${JSON.stringify(answers)}\n` +
          `  arrival gaps (ms): ${arrivals
            .slice(1)
            .map((t, i) => t - arrivals[i])
            .join(' ')}\n`,
      );
      return outcome;
    } finally {
      await sim.clearLog();
      await gateway.close();
    }
  }

  it('holds while stalls hit requests between their slot and the socket', async () => {
    const outcome = await underCpuHog('stalls', {
      maxGapMs: 2000,
      stallAfterDispatch: 0.5,
    });
    expect(outcome.throttled).toBe(0);
    expect(outcome.maxWindow).toBeLessThanOrEqual(LIMIT);
    expect(outcome.arrivals).toBeGreaterThanOrEqual(10); // the load did reach the upstream
  }, 30_000);

  it('holds while slow answers make requests wait for a connection', async () => {
    const outcome = await underCpuHog('connection waits', {
      // A page's share of two connections, with answers that sometimes take 0.6-1.8 s.
      env: { PANCAKE_MAX_CONCURRENCY: '2' },
      maxGapMs: 600,
      stallAfterDispatch: 0,
      faults: (seed) => latencySpikes(seed, 200),
    });
    expect(outcome.throttled).toBe(0);
    expect(outcome.maxWindow).toBeLessThanOrEqual(LIMIT);
    expect(outcome.arrivals).toBeGreaterThanOrEqual(10);
  }, 30_000);
});
