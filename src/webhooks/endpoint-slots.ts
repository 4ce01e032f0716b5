/**
 * Send slots per endpoint in this process: at most `perEndpoint` requests in flight to one
 * webhook, the rest wait in order, so a slow endpoint holds only its own slots.
 */
export class EndpointSlots {
  private readonly inFlight = new Map<string, number>();
  private readonly waiting = new Map<string, Array<() => void>>();

  constructor(private readonly perEndpoint: number) {}

  /** Resolves once a slot of the endpoint is this caller's. */
  async acquire(endpoint: string): Promise<void> {
    const count = this.inFlight.get(endpoint) ?? 0;
    if (count < this.perEndpoint) {
      this.inFlight.set(endpoint, count + 1);
      return;
    }
    await new Promise<void>((resolve) => {
      const queue = this.waiting.get(endpoint) ?? [];
      queue.push(resolve);
      this.waiting.set(endpoint, queue);
    });
  }

  /** Gives the slot back: to the next waiter (false), or free for new work (true). */
  release(endpoint: string): boolean {
    const queue = this.waiting.get(endpoint);
    const next = queue?.shift();
    if (queue?.length === 0) this.waiting.delete(endpoint);
    if (next) {
      next();
      return false;
    }
    const count = (this.inFlight.get(endpoint) ?? 1) - 1;
    if (count <= 0) this.inFlight.delete(endpoint);
    else this.inFlight.set(endpoint, count);
    return true;
  }

  /** Endpoints with every slot taken: a claim takes nothing more for them now. */
  saturated(): string[] {
    return [...this.inFlight].filter(([, n]) => n >= this.perEndpoint).map(([id]) => id);
  }
}
