/**
 * Page versions read from a shared database, trusted for `trustMs` after the query that read
 * them was sent. That is exact for a read after a write on another replica only because every
 * gateway write waits `trustMs` after its mirror commit before it answers (MirrorStore.
 * afterGatewayWrite): a version read before that commit was asked for more than `trustMs`
 * before the client could know of the write, so it is no longer trusted when the read comes.
 * Durations only, on each process's monotonic clock: replicas need no common clock. With an
 * infinite trust (a database this process alone writes) a version is read once per page and
 * then only moved by this process's commits.
 */
export class TrustedPageVersions {
  private readonly byPage = new Map<string, { version: number; askedAt: number }>();
  private readonly asking = new Map<string, { askedAt: number; version: Promise<number> }>();

  constructor(
    private readonly trustMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * The page's version: the one known if it was asked for within `trustMs`, else one query
   * (shared by the reads that come while it runs, as long as it was sent within `trustMs`).
   * Past half its trust a known version is asked for again in the background, so steady
   * reads never wait for the database.
   */
  async get(pageId: string, ask: () => Promise<number>): Promise<number> {
    const now = this.now();
    const known = this.byPage.get(pageId);
    const pending = this.asking.get(pageId);
    if (known && now - known.askedAt < this.trustMs) {
      if (!pending && now - known.askedAt >= this.trustMs / 2) this.refresh(pageId, ask, now);
      return known.version;
    }
    if (pending && now - pending.askedAt < this.trustMs) return pending.version;
    return this.ask(pageId, ask, now);
  }

  /**
   * Sent once the read that noticed has answered (setImmediate runs after its write), so its
   * cost lands between reads; trusted from now, which is before it is sent. A failure leaves
   * the next read past the trust to ask.
   */
  private refresh(pageId: string, ask: () => Promise<number>, now: number): void {
    const deferred = () => new Promise<void>((resolve) => setImmediate(resolve)).then(ask);
    this.ask(pageId, deferred, now).catch(() => undefined);
  }

  private ask(pageId: string, ask: () => Promise<number>, now: number): Promise<number> {
    const version = ask().then(
      (read) => this.seen(pageId, read, now),
      (error: unknown) => {
        if (this.asking.get(pageId)?.askedAt === now) this.asking.delete(pageId);
        throw error;
      },
    );
    this.asking.set(pageId, { askedAt: now, version });
    return version;
  }

  /** A commit of this process moved the page to `version` (trusted no longer than before). */
  moved(pageId: string, version: number): void {
    const known = this.byPage.get(pageId);
    if (known && version > known.version) known.version = version;
  }

  /** Versions only grow: a query answered late never takes back a newer one. */
  private seen(pageId: string, version: number, askedAt: number): number {
    if (this.asking.get(pageId)?.askedAt === askedAt) this.asking.delete(pageId);
    const known = this.byPage.get(pageId);
    const next = {
      version: Math.max(version, known?.version ?? 0),
      askedAt: Math.max(askedAt, known?.askedAt ?? askedAt),
    };
    this.byPage.set(pageId, next);
    return next.version;
  }
}
