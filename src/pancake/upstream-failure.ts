import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import type { UpstreamResponse } from './pancake-http.js';
import { UpstreamNetworkError } from './pancake-http.js';

export type UpstreamOperation = 'list' | 'update' | 'note_create' | 'note_update' | 'note_delete';

export type FailureKind =
  | 'rate-limited'
  | 'transient'
  | 'network'
  | 'auth'
  | 'forbidden'
  | 'not-found'
  | 'bad-request'
  /** An answer the gateway cannot use (too large, wrong shape): asking again gets the same. */
  | 'unexpected';

/** Why one upstream attempt failed, and whether the upstream may have acted on it. */
export interface UpstreamFailure {
  kind: FailureKind;
  status?: number;
  errorCode?: number;
  upstreamMessage?: string;
  retryAfterMs?: number;
  /** 'no' only when the upstream certainly did not act (429, refused connection). */
  acted: 'no' | 'unknown';
  /**
   * No answer came after the request may have reached the upstream (timeout, reset): it may
   * still be processed later. A write in this state must not be re-sent until it can no
   * longer land or its effect is seen (see GuardedWrites).
   */
  inFlight?: boolean;
}

/** error_code values Pancake uses for an invalid or expired page token. */
const TOKEN_ERROR_CODES = new Set([102, 105]);

interface ErrorBody {
  success?: unknown;
  message?: unknown;
  error_code?: unknown;
}

/** A 200 is not a success until `success` is true (upstream quirk). */
export function classifyResponse(response: UpstreamResponse): UpstreamFailure | null {
  const body = (response.body ?? {}) as ErrorBody;
  const ok = response.status >= 200 && response.status < 300;
  if (ok && body.success === true) return null;
  const errorCode = typeof body.error_code === 'number' ? body.error_code : undefined;
  const upstreamMessage = typeof body.message === 'string' ? body.message.slice(0, 200) : undefined;
  const base = {
    status: response.status,
    errorCode,
    upstreamMessage,
    retryAfterMs: response.retryAfterMs,
  };
  if (response.status === 429 || errorCode === 429)
    return { ...base, kind: 'rate-limited', acted: 'no' };
  if (response.status === 401 || (errorCode !== undefined && TOKEN_ERROR_CODES.has(errorCode))) {
    return { ...base, kind: 'auth', acted: 'no' };
  }
  if (response.status === 403) return { ...base, kind: 'forbidden', acted: 'no' };
  if (response.status === 404) return { ...base, kind: 'not-found', acted: 'no' };
  if (response.status >= 500 || response.status === 408)
    return { ...base, kind: 'transient', acted: 'unknown' };
  if (response.status >= 400) return { ...base, kind: 'bad-request', acted: 'no' };
  // 2xx with success:false (or no JSON at all): a transient backend error; the same call then succeeds.
  return { ...base, kind: 'transient', acted: 'unknown' };
}

export function networkFailure(error: UpstreamNetworkError): UpstreamFailure {
  return {
    kind: 'network',
    upstreamMessage: error.detail ?? error.reason,
    acted: error.sent ? 'unknown' : 'no',
    inFlight: error.sent,
  };
}

/**
 * Retry what may be retried. Reads always; writes not while an earlier attempt may still land
 * (a late PUT would overwrite what a later one wrote); a non-idempotent create only when the
 * upstream certainly did not act.
 */
export function isRetryable(failure: UpstreamFailure, operation: UpstreamOperation): boolean {
  const retryableKind =
    failure.kind === 'rate-limited' || failure.kind === 'transient' || failure.kind === 'network';
  if (!retryableKind) return false;
  if (operation === 'list') return true;
  if (failure.inFlight) return false;
  return operation !== 'note_create' || failure.acted === 'no';
}

/**
 * A write that got no answer after it may have reached Pancake: it may still land later, so
 * it must not be re-sent until it can no longer land or its effect is seen.
 */
export function isInFlightWrite(error: unknown): boolean {
  return failureOf(error)?.inFlight === true;
}

/** The upstream failure behind a gateway error the transport raised, if that is what it is. */
export function failureOf(error: unknown): UpstreamFailure | null {
  if (!(error instanceof GatewayError)) return null;
  const cause = error.cause as UpstreamFailure | undefined;
  return cause && typeof cause === 'object' && 'kind' in cause && 'acted' in cause ? cause : null;
}

/** Exponential backoff 1 s, 2 s, 4 s (x baseMs/1000) with ±20 % jitter; Retry-After wins when larger. */
export function backoffDelayMs(
  attempt: number,
  baseMs: number,
  retryAfterMs?: number,
  random = Math.random,
): number {
  const exponential = baseMs * 2 ** (attempt - 1);
  const jittered = Math.round(exponential * (0.8 + 0.4 * random()));
  return retryAfterMs === undefined ? jittered : Math.max(jittered, retryAfterMs);
}

const OPERATION_LABEL: Record<UpstreamOperation, string> = {
  list: 'listing customers',
  update: 'updating the customer',
  note_create: 'creating the note',
  note_update: 'updating the note',
  note_delete: 'deleting the note',
};

/** The gateway error a caller sees; messages help and leak nothing (no token, no URL). */
export function toGatewayError(
  failure: UpstreamFailure,
  operation: UpstreamOperation,
  pageId: string,
): GatewayError {
  const doing = OPERATION_LABEL[operation];
  const isNoteOp = operation === 'note_update' || operation === 'note_delete';
  switch (failure.kind) {
    case 'rate-limited': {
      const retryAfterSeconds = Math.max(1, Math.ceil((failure.retryAfterMs ?? 1000) / 1000));
      return GatewayError.rateLimited(
        `Pancake rate limit reached for page ${pageId} while ${doing}; retry later`,
        retryAfterSeconds,
      );
    }
    case 'auth':
      return GatewayError.upstream(
        `Pancake rejected the configured page token for page ${pageId} (invalid or expired): the gateway's PANCAKE_PAGE_TOKENS needs a new token for this page`,
        { details: { pageId, reason: 'page_token_rejected' } },
      );
    case 'forbidden':
      return GatewayError.upstream(
        `Pancake refused access to page ${pageId}: the Public API is not enabled for the page or the token lacks customer scope`,
        { details: { pageId, reason: 'page_forbidden' } },
      );
    case 'not-found':
      return GatewayError.notFound(
        isNoteOp
          ? `Note not found on this customer of page ${pageId}`
          : `Customer not found on page ${pageId}`,
      );
    case 'bad-request':
      // Upstream answers 400 for a wrong note_id.
      if (isNoteOp)
        return GatewayError.notFound(`Note not found on this customer of page ${pageId}`);
      return new GatewayError(
        ErrorCode.BAD_USER_INPUT,
        `Pancake rejected the request while ${doing}: ${failure.upstreamMessage ?? 'bad request'}`,
      );
    case 'network':
      return GatewayError.upstream(
        `Pancake failed to answer while ${doing} (${failure.upstreamMessage ?? 'network error'})`,
      );
    case 'unexpected':
      return GatewayError.upstream(
        `Pancake's answer could not be used while ${doing}: ${failure.upstreamMessage ?? 'unexpected answer'}`,
      );
    case 'transient':
      return GatewayError.upstream(
        `Pancake failed while ${doing} (${describeStatus(failure)}); retry later`,
        {
          retryAfterSeconds: 1,
        },
      );
  }
}

function describeStatus(failure: UpstreamFailure): string {
  if (failure.status !== undefined && failure.status >= 300) return `HTTP ${failure.status}`;
  return `success:false${failure.errorCode === undefined ? '' : `, error_code ${failure.errorCode}`}`;
}
