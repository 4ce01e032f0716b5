import { abortReason } from './limiter-errors.js';

interface QueuedTask {
  /** Runs the task if still queued; resolves when it settled. */
  run(): Promise<void>;
  /** Rejects the task if still queued (shutdown). */
  cancel(error: unknown): void;
}

/**
 * A FIFO of async tasks per key, run one at a time per key: the Redis limiter puts
 * each page's reservations through it so they reach Redis (and get slots) in arrival
 * order even across a NOSCRIPT retry or a switch to the fallback. A queued task whose
 * signal aborts leaves the queue at once; a running one is left to finish.
 */
export class PageQueue {
  private readonly queues = new Map<string, QueuedTask[]>();

  /** Tasks queued or running for key. */
  length(key: string): number {
    return this.queues.get(key)?.length ?? 0;
  }

  run<T>(key: string, task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise<T>((resolve, reject) => {
      let state: 'queued' | 'running' | 'settled' = 'queued';
      let queue = this.queues.get(key);
      if (!queue) {
        queue = [];
        this.queues.set(key, queue);
      }
      const ownQueue = queue;
      const leave = (error: unknown): void => {
        if (state !== 'queued') return;
        state = 'settled';
        signal?.removeEventListener('abort', onAbort);
        const index = ownQueue.indexOf(entry);
        if (index >= 0) ownQueue.splice(index, 1);
        if (ownQueue.length === 0 && this.queues.get(key) === ownQueue) this.queues.delete(key);
        reject(error);
      };
      const onAbort = (): void => leave(abortReason(signal as AbortSignal));
      const entry: QueuedTask = {
        run: async () => {
          if (state !== 'queued') return;
          state = 'running';
          signal?.removeEventListener('abort', onAbort);
          try {
            resolve(await task());
          } catch (error) {
            reject(error);
          } finally {
            state = 'settled';
          }
        },
        cancel: leave,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      ownQueue.push(entry);
      if (ownQueue.length === 1) void this.drain(key, ownQueue);
    });
  }

  cancelAll(error: unknown): void {
    for (const queue of [...this.queues.values()]) {
      for (const entry of [...queue]) entry.cancel(error);
    }
  }

  private async drain(key: string, queue: QueuedTask[]): Promise<void> {
    while (queue.length > 0) {
      const head = queue[0];
      await head.run();
      if (queue[0] === head) queue.shift();
    }
    if (this.queues.get(key) === queue) this.queues.delete(key);
  }
}
