import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import type { SyncStatusView } from './read-source.policy.js';

/** This replica's lease on a page was taken over: its writes for the page were refused. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
  constructor(pageId: string) {
    super(`The sync lease on page ${pageId} is held by another replica now`);
  }
}

/** 409 SYNC_NOT_READY: the page cannot be read from the mirror yet; says why and how far along. */
export function syncNotReady(status: SyncStatusView): GatewayError {
  const progress =
    status.backfillProgress === null
      ? ''
      : `, backfill ${Math.floor(status.backfillProgress * 100)} % done`;
  const why =
    status.state === 'PAUSED'
      ? ' (the page is not being synced)'
      : status.state === 'LIVE'
        ? ' (its lag is unknown)'
        : '';
  return new GatewayError(
    ErrorCode.SYNC_NOT_READY,
    `Page ${status.pageId} is not mirrored yet: sync state ${status.state}${progress}${why}`,
    {
      details: {
        pageId: status.pageId,
        state: status.state,
        backfillProgress: status.backfillProgress,
        customers: status.customers,
      },
    },
  );
}
