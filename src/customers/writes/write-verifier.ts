import { setTimeout as sleep } from 'node:timers/promises';
import { timeLeftMs } from '../../common/context/request-context.js';
import type { CustomerRecord } from '../../pancake/pancake.model.js';
import type { InDoubtWrite } from '../stores/write-ledger.js';
import { writeLanded, type Landing } from './write-effects.js';

/** A fresh read of the customer (never the cache); null when it is not found. */
export type CustomerReader = () => Promise<CustomerRecord | null>;

export type Verdict =
  /** A read showed the write's effect: it landed and cannot land again. */
  | { state: 'landed'; landing: Landing & { landed: true }; current: CustomerRecord }
  /** It can no longer land (its quarantine passed) and the last read does not show it. */
  | { state: 'not-landed'; current: CustomerRecord | null }
  /** The request's deadline came first: nothing is known yet. */
  | { state: 'undecided' };

export interface VerifierTiming {
  /** First pause between two reads; it doubles up to maxPollMs. */
  firstPollMs: number;
  maxPollMs: number;
  now?: () => number;
}

/** Polling delays for a quarantine: quick at first (the answer may be just late), then sparse. */
export function verifierTiming(quarantineMs: number): VerifierTiming {
  const maxPollMs = Math.min(5000, Math.max(50, Math.floor(quarantineMs / 10)));
  return { firstPollMs: Math.min(250, maxPollMs), maxPollMs };
}

/**
 * Reads a customer until a write whose outcome is unknown is seen, can no longer land, or the
 * current request's deadline (if any) leaves no time for another read. Reads that fail are
 * skipped: the next one may work, and the verdict never rests on a failed read.
 */
export async function verifyWrite(
  doubt: InDoubtWrite,
  read: CustomerReader,
  timing: VerifierTiming,
  signal?: AbortSignal,
): Promise<Verdict> {
  const now = timing.now ?? Date.now;
  let pause = timing.firstPollMs;
  for (;;) {
    const untilFence = doubt.landsBy - now();
    // A read after the fence decides: by then the write has landed or never will.
    const wait = Math.max(0, Math.min(pause, untilFence + 1));
    if (wait >= timeLeftMs() - MIN_READ_MS) return { state: 'undecided' };
    await sleep(wait, undefined, { signal });
    pause = Math.min(pause * 2, timing.maxPollMs);
    const fenceOver = now() > doubt.landsBy;
    let current: CustomerRecord | null;
    try {
      current = await read();
    } catch {
      if (timeLeftMs() <= MIN_READ_MS) return { state: 'undecided' };
      continue;
    }
    const landing = writeLanded(doubt, current);
    if (landing.landed && current) return { state: 'landed', landing, current };
    if (fenceOver) return { state: 'not-landed', current };
  }
}

/** Least time a read needs (a slot and an answer): below it the verdict is left to the background. */
const MIN_READ_MS = 100;
