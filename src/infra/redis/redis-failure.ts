/** Our own bound on one Redis call, on top of the client's commandTimeout. */
export class RedisCallTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`Redis did not answer within ${timeoutMs} ms`);
    this.name = 'RedisCallTimeoutError';
  }
}

/** A call refused without touching Redis: the availability breaker is open. */
export class RedisUnavailableError extends Error {
  /** The breaker's safe reason (see describeRedisFailure). */
  constructor(readonly reason: string) {
    super(`Redis unavailable (${reason})`);
    this.name = 'RedisUnavailableError';
  }
}

/** Rejects with RedisCallTimeoutError when the call has not settled within timeoutMs. */
export function withTimeout<T>(call: Promise<T>, timeoutMs: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RedisCallTimeoutError(timeoutMs)), timeoutMs);
    call.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * A short, safe description of a Redis failure for health details: an error code
 * (ECONNREFUSED, NOAUTH, READONLY...) or an error class name, never a message that
 * could carry a URL, a host or a credential.
 */
export function describeRedisFailure(error: unknown): string {
  if (error instanceof RedisCallTimeoutError) return `no answer within ${error.timeoutMs} ms`;
  if (error instanceof RedisUnavailableError) return error.reason;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[A-Z][A-Z0-9_]{1,31}$/.test(code)) return code;
  if (error instanceof Error) {
    const firstWord = error.message.split(' ', 1)[0];
    if (/^[A-Z]{3,20}$/.test(firstWord)) return firstWord;
    if (error.message === 'Command timed out') return 'command timed out';
    if (/^[A-Za-z]{1,40}$/.test(error.name)) return error.name;
  }
  return 'unknown error';
}
