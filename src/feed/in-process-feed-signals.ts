import { Injectable } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { MirrorEvents } from '../mirror/mirror-events.js';
import { FeedSignals, type FeedSignal } from './feed-signals.js';

/** One process (PGlite): the events this process commits are all there are. */
@Injectable()
export class InProcessFeedSignals extends FeedSignals {
  readonly signals: Observable<FeedSignal>;

  constructor(events: MirrorEvents) {
    super();
    this.signals = events.stream.pipe(map((event) => ({ pageId: event.pageId, seq: event.seq })));
  }
}
