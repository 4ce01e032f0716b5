// Real clients of the change feed for e2e suites: graphql-ws over `ws`, and an SSE reader over
// plain node:http (what a browser's EventSource does, minus reconnecting).
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

export const SUBSCRIBE_EVENTS = `
  subscription Events($pageId: ID!, $after: String, $types: [CustomerEventType!]) {
    customerEvents(pageId: $pageId, after: $after, types: $types) {
      id cursor type origin pageId customerId changedFields customer { id name avatarUrl }
    }
  }`;

export interface FeedEventShape {
  id: string;
  cursor: string;
  type: string;
  customerId: string;
  customer: { id: string; name: string | null };
}

/**
 * Resolves when `check` holds, re-checking every 20 ms; gives up after `boundMs` so a broken
 * feed fails its test instead of hanging the run (a guard, not a latency assertion).
 */
export async function until(
  check: () => boolean,
  what = 'condition',
  boundMs = 20_000,
  refresh?: () => Promise<void>,
): Promise<void> {
  const giveUpAt = Date.now() + boundMs;
  for (;;) {
    await refresh?.();
    if (check()) return;
    if (Date.now() > giveUpAt) throw new Error(`never happened: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, refresh ? 100 : 20));
  }
}

export interface Subscriber {
  events: FeedEventShape[];
  errors: unknown[];
  /** The socket's close code once closed. */
  closeCode: number | null;
  done: boolean;
  dispose(): Promise<void>;
}

/** A graphql-ws client with the key in connection_init, subscribed once. */
export function subscribe(
  gatewayUrl: string,
  authorization: string | null,
  variables: Record<string, unknown>,
): Subscriber {
  const subscriber: Subscriber = {
    events: [],
    errors: [],
    closeCode: null,
    done: false,
    dispose: async () => {
      await client.dispose();
    },
  };
  const client: Client = createClient({
    url: `${gatewayUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: authorization ? { authorization } : {},
    retryAttempts: 0,
    lazy: true,
    on: {
      closed: (event) => {
        subscriber.closeCode = (event as { code: number }).code;
      },
    },
  });
  client.subscribe<{ customerEvents: FeedEventShape }>(
    { query: SUBSCRIBE_EVENTS, variables },
    {
      next: (result) => {
        if (result.errors) subscriber.errors.push(...result.errors);
        if (result.data) subscriber.events.push(result.data.customerEvents);
      },
      error: (error) => {
        subscriber.errors.push(error);
        subscriber.done = true;
      },
      complete: () => {
        subscriber.done = true;
      },
    },
  );
  return subscriber;
}

export interface SseReader {
  status: number;
  headers: IncomingHttpHeaders;
  /** Messages with an id (events), in order. */
  events: (FeedEventShape & { sseId: string })[];
  comments: string[];
  /** The body, for a non-stream answer (an error). */
  body: string;
  ended: boolean;
  /** Ended by the server's last chunk, not cut. */
  complete: boolean;
  close(): void;
}

/** GET with `Accept: text/event-stream`; resolves once the response headers arrived. */
export function readSse(url: string, headers: Record<string, string>): Promise<SseReader> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      { headers: { accept: 'text/event-stream', ...headers } },
      (response) => {
        const reader: SseReader = {
          status: response.statusCode ?? 0,
          headers: response.headers,
          events: [],
          comments: [],
          body: '',
          ended: false,
          complete: false,
          close: () => request.destroy(),
        };
        let pending = '';
        // A compressed stream is decoded as it comes: the gateway flushes every message.
        const coding = response.headers['content-encoding'];
        const source =
          coding === 'gzip'
            ? response.pipe(createGunzip())
            : coding === 'br'
              ? response.pipe(createBrotliDecompress())
              : response;
        source.setEncoding('utf8');
        source.on('data', (chunk: string) => {
          reader.body += chunk;
          pending += chunk;
          let end: number;
          while ((end = pending.indexOf('\n\n')) >= 0) {
            const block = pending.slice(0, end);
            pending = pending.slice(end + 2);
            let id: string | null = null;
            let data = '';
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) reader.comments.push(line.slice(1).trim());
              else if (line.startsWith('id: ')) id = line.slice(4);
              else if (line.startsWith('data: ')) data += line.slice(6);
            }
            if (id !== null)
              reader.events.push({ ...(JSON.parse(data) as FeedEventShape), sseId: id });
          }
        });
        const ended = (): void => {
          reader.ended = true;
        };
        source.on('end', () => {
          reader.complete = true;
          ended();
        });
        response.on('close', ended);
        response.on('error', ended);
        // A stream cut mid-message (the reader closed) is no failure of the test.
        if (source !== response) source.on('error', ended);
        resolve(reader);
      },
    );
    request.on('error', reject);
    request.end();
  });
}
