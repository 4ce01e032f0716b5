/**
 * The fastest of the last few Redis round trips of a limiter: what the network and
 * Redis take when this process is not in the way. The part of a reservation's round
 * trip beyond it is counted as lateness (the process stalled while the reply waited),
 * while a Redis that is simply far away (every round trip slow) costs nothing extra.
 */
export class RoundTripFloor {
  private readonly samples: number[] = [];
  private next = 0;

  constructor(private readonly size = 16) {}

  /** Records one round trip (ms) and returns the floor including it. */
  record(roundTripMs: number): number {
    if (this.samples.length < this.size) this.samples.push(roundTripMs);
    else this.samples[this.next] = roundTripMs;
    this.next = (this.next + 1) % this.size;
    return Math.min(...this.samples);
  }
}
