import type { Observable } from 'rxjs';

/**
 * "Page `pageId` has committed events up to cursor `seq`": a wake-up, not the events. Followers
 * read the table from their own last cursor on each one, so a lost, late or repeated signal can
 * delay an event but never lose or repeat it. `pageId` null: re-read every page (the signal
 * source reconnected and may have missed some).
 */
export interface FeedSignal {
  pageId: string | null;
  seq: number;
}

/** Where signals come from: this process's commits, or every replica's (PostgreSQL NOTIFY). */
export abstract class FeedSignals {
  abstract readonly signals: Observable<FeedSignal>;
}
