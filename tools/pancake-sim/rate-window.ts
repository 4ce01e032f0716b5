// Upstream's per-page limit: a sliding 1000 ms window over arrival times of admitted requests.

export const WINDOW_MS = 1000;

/**
 * A request arriving at `at` is refused when the page already has `limit` admitted arrivals
 * with time > at - 1000. Refused requests are not recorded, so a client that backs off recovers.
 */
export class RateWindow {
  private readonly arrivals = new Map<string, number[]>();

  constructor(private readonly limit: number) {}

  /** Records the arrival and returns true, or returns false (over the limit) without recording. */
  tryAdmit(pageId: string, at: number): boolean {
    // filter, not shift: an injected clock may step backwards and leave the list unsorted.
    const live = (this.arrivals.get(pageId) ?? []).filter((t) => t > at - WINDOW_MS);
    const admitted = live.length < this.limit;
    if (admitted) live.push(at);
    this.arrivals.set(pageId, live);
    return admitted;
  }

  /** Admitted arrivals for pageId still inside the window ending at `at`. */
  inWindow(pageId: string, at: number): number {
    return (this.arrivals.get(pageId) ?? []).filter((t) => t > at - WINDOW_MS).length;
  }
}
