import { Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { StoredEvent } from './mirror.store.js';

/** Events recorded by this process, as they commit (the change feed builds on this). */
@Injectable()
export class MirrorEvents {
  private readonly subject = new Subject<StoredEvent>();

  get stream(): Observable<StoredEvent> {
    return this.subject.asObservable();
  }

  publish(events: readonly StoredEvent[]): void {
    for (const event of events) this.subject.next(event);
  }
}
