import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Polls `probe` every intervalMs until it returns a value other than undefined, and returns
 * it; fails with `what` (and the last value seen by `describe`) after boundMs. The bound only
 * keeps a broken run from hanging: it is generous, never the thing under test.
 */
export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: { boundMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const boundAt = Date.now() + (options.boundMs ?? 20_000);
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > boundAt)
      throw new Error(`${what}: not reached in ${options.boundMs ?? 20_000} ms`);
    await sleep(options.intervalMs ?? 100);
  }
}
