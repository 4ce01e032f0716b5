import type { IdempotencyStoreOptions } from './idempotency-store.js';

/** Replays must outlive a client's retry window of a day (the contract's Idempotency-Key promise). */
export const MIN_REPLAY_TTL_SECONDS = 86_400;
export const DEFAULT_PENDING_TTL_SECONDS = 300;
export const DEFAULT_IDEMPOTENCY_MAX_ENTRIES = 10_000;

export interface IdempotencyTtls {
  replaySeconds: number;
  pendingSeconds: number;
}

/** Replay TTL raised to 24 h when configured lower; pending TTL never longer than the replay TTL. */
export function idempotencyTtls(options: IdempotencyStoreOptions): IdempotencyTtls {
  const replaySeconds = Math.max(
    MIN_REPLAY_TTL_SECONDS,
    Math.ceil(options.ttlSeconds ?? MIN_REPLAY_TTL_SECONDS),
  );
  const pendingSeconds = Math.min(
    replaySeconds,
    Math.max(1, Math.ceil(options.pendingTtlSeconds ?? DEFAULT_PENDING_TTL_SECONDS)),
  );
  return { replaySeconds, pendingSeconds };
}
