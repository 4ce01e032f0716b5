import { MirrorService } from '../../mirror/mirror.service.js';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { runDetached, timeLeftMs } from '../../common/context/request-context.js';
import { ErrorCode } from '../../common/errors/error-code.js';
import { GatewayError } from '../../common/errors/gateway-error.js';
import { GatewayConfig } from '../../config/gateway-config.js';
import { GatewayMetrics } from '../../metrics/gateway-metrics.js';
import { PancakeClient } from '../../pancake/pancake.client.js';
import { backoffDelayMs, failureOf } from '../../pancake/upstream-failure.js';
import type { CustomerRecord, NoteRecord } from '../../pancake/pancake.model.js';
import { mergePhoneNumbers } from '../../pancake/policy/phone-number.js';
import { CUSTOMER_LOCK, type CustomerLock } from '../stores/customer-lock.js';
import { DEFAULT_LOCK_WAIT_MS } from '../stores/lock-errors.js';
import {
  WRITE_LEDGER,
  type Acknowledgement,
  type InDoubtWrite,
  type WriteLedger,
} from '../stores/write-ledger.js';
import {
  extraNoteCopies,
  phonesToRestore,
  writeLanded,
  type Landing,
  type WriteEffect,
} from './write-effects.js';
import {
  verifierTiming,
  verifyWrite,
  type CustomerReader,
  type Verdict,
  type VerifierTiming,
} from './write-verifier.js';

/** What a write carries, before it is sent. */
export type WriteIntent = WriteEffect;

export interface SendOutcome {
  /** Upstream answered success. Otherwise `seen` is the read that showed the write landed. */
  confirmed: boolean;
  seen?: CustomerRecord;
  /** note_create: the note found when the write was seen rather than confirmed. */
  note?: NoteRecord;
}

/** Told, in the background, how a write that outlived its request ended. */
export type SettledHook = (landing: Landing, current: CustomerRecord | null) => Promise<void>;

/**
 * Writes that survive a slow Pancake. Every write to a customer runs under its lock and not
 * while an earlier write to it may still land. A write that gets no answer is never re-sent
 * blindly: the customer is fenced (no gateway write on any replica) until a read shows the
 * write landed or its quarantine passes; the request waits for that within its deadline, and
 * otherwise answers "outcome unknown" while this replica keeps verifying. Past the quarantine
 * the replica keeps watching for the journal window and repairs what a still later landing
 * undid: acknowledged phone numbers are put back, extra copies of the gateway's notes removed.
 */
@Injectable()
export class GuardedWrites implements OnApplicationShutdown {
  private readonly logger = new Logger('GuardedWrites');
  private readonly timing: VerifierTiming;
  private readonly watchers = new AbortController();

  constructor(
    private readonly config: GatewayConfig,
    private readonly pancake: PancakeClient,
    private readonly metrics: GatewayMetrics,
    @Inject(CUSTOMER_LOCK) private readonly lock: CustomerLock,
    @Inject(WRITE_LEDGER) private readonly ledger: WriteLedger,
    private readonly mirror: MirrorService,
  ) {
    this.timing = verifierTiming(config.pancake.writeQuarantineMs);
  }

  /** Runs fn under the customer's lock; CONFLICT while an earlier write may still land. */
  async exclusive<T>(pageId: string, customerId: string, fn: () => Promise<T>): Promise<T> {
    await this.refuseWhileFenced(pageId, customerId);
    const waitMs = Math.max(0, Math.min(DEFAULT_LOCK_WAIT_MS, timeLeftMs() - MIN_WORK_MS));
    return this.lock.withLock(
      pageId,
      customerId,
      async () => {
        await this.refuseWhileFenced(pageId, customerId);
        return fn();
      },
      { waitMs },
    );
  }

  /**
   * Sends one write (call under exclusive()). Resolves once upstream confirmed it or a read
   * showed it landed. An answered failure that may have acted is checked by a read, then sent
   * again (up to the retry budget); a write with no answer is sent again at most once, and
   * only after it can no longer land. Rejects UPSTREAM_ERROR "outcome unknown" when the
   * deadline comes first; `onSettled` then hears, in the background, how it ended.
   */
  async send(
    intent: WriteIntent,
    write: () => Promise<void>,
    read: CustomerReader,
    onSettled?: SettledHook,
  ): Promise<SendOutcome> {
    // Changes the mirror's sync sees from here on are this write's (origin GATEWAY).
    await this.mirror.expectGatewayWrite(intent.pageId, intent.customerId);
    let answeredFailures = 0;
    let resentAfterDoubt = false;
    for (;;) {
      const sentAt = Date.now();
      try {
        await write();
        return { confirmed: true };
      } catch (error) {
        const failure = failureOf(error);
        if (!failure || failure.acted !== 'unknown') throw error;
        if (!failure.inFlight) {
          // Upstream answered, so the write cannot land later: a read tells whether it did.
          const seen = await this.seenNow(intent, read);
          if (seen) return seen;
          answeredFailures += 1;
          const delayMs = backoffDelayMs(answeredFailures, this.config.pancake.retryBaseMs);
          if (answeredFailures > this.config.pancake.maxRetries || delayMs > timeLeftMs())
            throw error;
          await sleep(delayMs);
          continue;
        }
        const doubt: InDoubtWrite = {
          ...intent,
          id: randomUUID(),
          sentAt,
          landsBy: Date.now() + this.config.pancake.writeQuarantineMs,
        };
        this.metrics.writesInDoubt.inc({ operation: doubt.kind });
        await this.fence(doubt);
        const verdict = await verifyWrite(doubt, read, this.timing, this.watchers.signal).catch(
          (): Verdict => ({ state: 'undecided' }),
        );
        if (verdict.state === 'landed') {
          await this.settle(doubt, verdict);
          return { confirmed: false, seen: verdict.current, note: verdict.landing.note };
        }
        if (verdict.state === 'undecided') {
          this.continueInBackground(doubt, read, onSettled);
          throw outcomeUnknown(doubt);
        }
        await this.settle(doubt, verdict);
        this.watchForLateLanding(doubt, read);
        // It can no longer land: sending again cannot make two.
        if (resentAfterDoubt) throw error;
        resentAfterDoubt = true;
      }
    }
  }

  private async seenNow(intent: WriteIntent, read: CustomerReader): Promise<SendOutcome | null> {
    const current = await read();
    const landing = writeLanded(intent, current);
    return landing.landed && current
      ? { confirmed: false, seen: current, note: landing.note }
      : null;
  }

  /** Phone numbers the gateway acknowledged that a late write of its own removed (best effort). */
  async phonesToRestore(current: CustomerRecord): Promise<string[]> {
    const journal = await this.journalOf(current.pageId, current.id);
    return journal ? phonesToRestore(current, journal.doubts, journal.acks) : [];
  }

  /** Counts and logs numbers a write put back (they were acknowledged, then a late write removed them). */
  noteRestored(customer: CustomerRecord, numbers: readonly string[]): void {
    this.metrics.writeRepairs.inc({ kind: 'phone' }, numbers.length);
    this.logger.warn(
      `a late write removed ${numbers.length} acknowledged phone number(s) of customer ${customer.id} on page ${customer.pageId}: put back`,
    );
  }

  /** Records a change answered as done, so a later-landing write cannot silently undo it. */
  acknowledge(pageId: string, customerId: string, ack: Acknowledgement): Promise<void> {
    return this.ledger.acknowledge(pageId, customerId, ack);
  }

  onApplicationShutdown(): void {
    this.watchers.abort();
  }

  private async refuseWhileFenced(pageId: string, customerId: string): Promise<void> {
    const fence = await this.ledger.fenceOf(pageId, customerId);
    if (!fence) return;
    this.metrics.writesFenced.inc();
    const until = new Date(fence.landsBy).toISOString();
    throw new GatewayError(
      ErrorCode.CONFLICT,
      `An earlier change to customer ${customerId} on page ${pageId} is not confirmed by Pancake yet and may still land; this customer takes no other change until it is seen or ${until}`,
      { retryAfterSeconds: secondsUntil(fence.landsBy), details: { fencedUntil: until } },
    );
  }

  private async fence(doubt: InDoubtWrite): Promise<void> {
    try {
      await this.ledger.fence(doubt);
    } catch (error) {
      // This request still holds the lock while it verifies; only the background part is unfenced.
      this.logger.error(
        `could not fence customer ${doubt.customerId} on page ${doubt.pageId}: ${(error as Error).message}`,
      );
    }
  }

  private async settle(doubt: InDoubtWrite, verdict: Verdict): Promise<void> {
    this.metrics.writeVerdicts.inc({ operation: doubt.kind, verdict: verdict.state });
    await this.ledger.lift(doubt);
  }

  private continueInBackground(
    doubt: InDoubtWrite,
    read: CustomerReader,
    onSettled?: SettledHook,
  ): void {
    const signal = this.watchers.signal;
    void runDetached(async () => {
      try {
        const verdict = await verifyWrite(doubt, read, this.timing, signal);
        if (verdict.state === 'undecided') return;
        await this.settle(doubt, verdict);
        await onSettled?.(
          verdict.state === 'landed' ? verdict.landing : { landed: false },
          verdict.current,
        );
        if (verdict.state === 'not-landed') this.watchForLateLanding(doubt, read);
      } catch (error) {
        if (!signal.aborted)
          this.logger.warn(`verifying a write failed: ${(error as Error).message}`);
      }
    });
  }

  /**
   * After its quarantine a write should never land; if it still does within the journal
   * window, repair what it undid. Sparse reads: this only follows writes that got no answer.
   */
  private watchForLateLanding(doubt: InDoubtWrite, read: CustomerReader): void {
    const signal = this.watchers.signal;
    const until = doubt.sentAt + this.config.pancake.writeJournalSeconds * 1000;
    const pauseMs = Math.min(10_000, Math.max(250, Math.floor((until - Date.now()) / 100)));
    void runDetached(async () => {
      try {
        while (Date.now() + pauseMs < until) {
          await sleep(pauseMs, undefined, { signal });
          const current = await read().catch(() => null);
          // A repair refused now (the customer is busy) is tried again at the next look.
          const repaired = current && (await this.repair(current, read).catch(() => false));
          if (repaired) return;
        }
      } catch (error) {
        if (!signal.aborted)
          this.logger.warn(`watching a write failed: ${(error as Error).message}`);
      }
    });
  }

  /** Puts back acknowledged phones and removes extra note copies; true when something was repaired. */
  private async repair(seen: CustomerRecord, read: CustomerReader): Promise<boolean> {
    const journal = await this.journalOf(seen.pageId, seen.id);
    if (!journal) return false;
    const restore = phonesToRestore(seen, journal.doubts, journal.acks);
    const extras = extraNoteCopies(seen, journal.doubts, journal.acks);
    if (restore.length === 0 && extras.length === 0) return false;
    await this.exclusive(seen.pageId, seen.id, async () => {
      const current = (await read()) ?? seen;
      const missing = phonesToRestore(current, journal.doubts, journal.acks);
      if (missing.length > 0) {
        const merged = mergePhoneNumbers(
          current.phoneNumbers,
          missing,
          this.config.phoneDefaultRegion,
        );
        await this.send(
          {
            kind: 'update',
            pageId: current.pageId,
            customerId: current.id,
            changes: { phoneNumbers: merged },
            baselineUpdatedAt: current.updatedAt?.getTime() ?? null,
          },
          () => this.pancake.updateCustomer(current.pageId, current.id, { phoneNumbers: merged }),
          read,
        );
        this.noteRestored(current, missing);
      }
      for (const note of extraNoteCopies(current, journal.doubts, journal.acks)) {
        await this.pancake.deleteNote(current.pageId, current.id, note.id);
        this.metrics.writeRepairs.inc({ kind: 'note' });
        this.logger.warn(
          `a late note create added a second copy of note ${note.id} on customer ${current.id} of page ${current.pageId}: removed`,
        );
      }
    });
    return true;
  }

  private async journalOf(
    pageId: string,
    customerId: string,
  ): Promise<{ doubts: InDoubtWrite[]; acks: Acknowledgement[] } | null> {
    try {
      const doubts = await this.ledger.doubts(pageId, customerId);
      if (doubts.length === 0) return null;
      return { doubts, acks: await this.ledger.acknowledgements(pageId, customerId) };
    } catch (error) {
      this.logger.warn(`write journal unavailable: ${(error as Error).message}`);
      return null;
    }
  }
}

/** Least time worth starting a guarded write with: a lock, a read and a write all take time. */
const MIN_WORK_MS = 200;

function secondsUntil(epochMs: number): number {
  return Math.max(1, Math.ceil((epochMs - Date.now()) / 1000));
}

/** Whether an error is the "outcome unknown" answer (the write is still being verified). */
export function isOutcomeUnknown(error: unknown): boolean {
  return (
    error instanceof GatewayError &&
    (error.details as { outcome?: unknown } | undefined)?.outcome === 'unknown'
  );
}

/** The answer when the deadline comes before the outcome: retry once the fence is over. */
export function outcomeUnknown(doubt: InDoubtWrite): GatewayError {
  const until = new Date(doubt.landsBy).toISOString();
  return GatewayError.upstream(
    `Pancake did not answer in time and the change may still be applied; the gateway keeps checking and takes no other change to this customer until it is seen or ${until}. Retry after that (a note: with the same Idempotency-Key)`,
    {
      retryAfterSeconds: secondsUntil(doubt.landsBy),
      details: { outcome: 'unknown', fencedUntil: until },
    },
  );
}
