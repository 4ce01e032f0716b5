// Small node:http helpers: read a bounded body, parse JSON, answer JSON, cancellable delays.
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY_BYTES = 1_000_000;

export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Upstream's error body. */
export function fail(status: number, message: string, errorCode = status): Answer {
  return { status, body: { success: false, message, error_code: errorCode } };
}

export const ok = (): Answer => ({ status: 200, body: { success: true } });

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
    // A client that goes away mid-body never sends 'end': settle anyway (no-op after 'end').
    req.on('close', () => reject(new Error('request closed before its body ended')));
  });
}

/** undefined for an empty body; `{ invalid: true }` marks unparseable JSON. */
export function parseJson(text: string): { invalid: true } | { invalid: false; value: unknown } {
  if (text.trim() === '') return { invalid: false, value: undefined };
  try {
    return { invalid: false, value: JSON.parse(text) as unknown };
  } catch {
    return { invalid: true };
  }
}

export function send(res: ServerResponse, answer: Answer): void {
  if (res.destroyed || res.headersSent) return;
  const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
  const headers: Record<string, string | number> = {
    ...answer.headers,
    'content-length': Buffer.byteLength(text),
  };
  if (answer.body !== undefined) headers['content-type'] = 'application/json; charset=utf-8';
  res.writeHead(answer.status, headers);
  res.end(text);
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** setTimeout promises that close() can release at once, so shutdown never waits on a fault. */
export class Delays {
  private readonly pending = new Map<NodeJS.Timeout, () => void>();

  wait(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(timer);
        resolve();
      }, ms);
      this.pending.set(timer, resolve);
    });
  }

  releaseAll(): void {
    for (const [timer, resolve] of this.pending) {
      clearTimeout(timer);
      resolve();
    }
    this.pending.clear();
  }
}
