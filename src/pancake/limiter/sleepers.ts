import { abortReason } from './limiter-errors.js';

/**
 * Timers of callers sleeping until their slot. A sleep rejects with the signal's
 * reason when aborted, and every pending sleep rejects on cancelAll (shutdown).
 */
export class Sleepers {
  private readonly active = new Set<(error: unknown) => void>();

  get size(): number {
    return this.active.size;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (ms <= 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: unknown): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.active.delete(finish);
        if (error === undefined) resolve();
        else reject(error);
      };
      const onAbort = (): void => finish(abortReason(signal as AbortSignal));
      const timer = setTimeout(() => finish(), ms);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.active.add(finish);
    });
  }

  cancelAll(error: unknown): void {
    for (const finish of [...this.active]) finish(error);
  }
}
