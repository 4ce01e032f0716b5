import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import {
  CustomerEventsFeedDocument,
  type CustomerEventsFeedSubscription,
} from '@pancake-gateway/clients';

export type CustomerEvent = CustomerEventsFeedSubscription['customerEvents'];

export type FeedState =
  | { status: 'connecting' }
  | { status: 'live' }
  | { status: 'reconnecting'; attempt: number; inMs: number; reason: string }
  | { status: 'refused'; reason: string };

export interface FeedOptions {
  apiKey: string;
  pageId: string;
  onEvent(event: CustomerEvent): void;
  onState(state: FeedState): void;
  /** The socket URL; default ws(s)://<this host>/graphql. */
  url?: string;
}

// graphql-ws close codes the gateway uses for a refused key or page: retrying cannot help.
const REFUSED_CLOSE_CODES = new Map([
  [4401, 'the gateway refused this API key (4401)'],
  [4403, 'this API key may not read the page (4403)'],
]);
// Error codes for which subscribing again cannot help: a refused key or page, or a page that
// is not mirrored (SYNC_NOT_READY: the feed records mirrored pages only).
const FINAL_ERROR_CODES = new Set([
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'BAD_USER_INPUT',
  'SYNC_NOT_READY',
]);
const MAX_BACKOFF_MS = 15_000;

interface Ending {
  refused: boolean;
  reason: string;
}

function socketUrl(): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/graphql`;
}

/** GraphQL errors (an `error` message, or a `next` carrying errors) as an ending. */
function endingOfErrors(errors: readonly { message?: string; extensions?: unknown }[]): Ending {
  const [first] = errors;
  const code = (first?.extensions as { code?: unknown } | undefined)?.code;
  const name = typeof code === 'string' ? code : 'error';
  return {
    refused: FINAL_ERROR_CODES.has(name),
    reason: `${name}: ${first?.message ?? 'subscription refused'}`,
  };
}

/** Why the socket or the subscription ended, and whether trying again can help. */
function endingOf(error: unknown): Ending {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'number') {
    const refusal = REFUSED_CLOSE_CODES.get(code);
    return refusal
      ? { refused: true, reason: refusal }
      : { refused: false, reason: `closed (${code})` };
  }
  if (Array.isArray(error)) return endingOfErrors(error as { message?: string }[]);
  return { refused: false, reason: 'the connection failed' };
}

/**
 * Follows the page's customerEvents subscription. Each connection is used once: when it ends,
 * a new one subscribes with `after` set to the last cursor seen, so the gateway sends what was
 * missed first (no gap, no repeat), after a backoff that doubles up to 15 s. Returns stop().
 */
export function followCustomerEvents(options: FeedOptions): () => void {
  let lastCursor: string | null = null;
  let attempt = 0;
  let stopped = false;
  let client: Client | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const retry = (reason: string): void => {
    attempt += 1;
    const inMs = Math.min(MAX_BACKOFF_MS, 500 * 2 ** (attempt - 1));
    options.onState({ status: 'reconnecting', attempt, inMs, reason });
    timer = setTimeout(connect, inMs);
  };

  function connect(): void {
    if (stopped) return;
    options.onState({ status: 'connecting' });
    const current = createClient({
      url: options.url ?? socketUrl(),
      connectionParams: { authorization: `Bearer ${options.apiKey}` },
      lazy: true,
      // Reconnecting is ours (with the last cursor); graphql-ws would resubscribe from the start.
      retryAttempts: 0,
      on: {
        connected: () => {
          attempt = 0;
          options.onState({ status: 'live' });
        },
      },
    });
    client = current;
    // A subscribe refused in its resolver answers `next` with errors, then `complete`.
    let failure: Ending | undefined;
    const end = (ending: Ending): void => {
      void current.dispose();
      if (stopped) return;
      if (ending.refused) options.onState({ status: 'refused', reason: ending.reason });
      else retry(ending.reason);
    };
    const variables = { pageId: options.pageId, after: lastCursor };
    current.subscribe<CustomerEventsFeedSubscription>(
      { query: print(CustomerEventsFeedDocument), variables },
      {
        next(result) {
          if (result.errors?.length) failure = endingOfErrors(result.errors);
          const event = result.data?.customerEvents;
          if (!event) return;
          lastCursor = event.cursor;
          options.onEvent(event);
        },
        error(error) {
          end(endingOf(error));
        },
        complete() {
          end(failure ?? { refused: false, reason: 'the gateway ended the subscription' });
        },
      },
    );
  }

  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    void client?.dispose();
  };
}
