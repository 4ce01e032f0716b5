import { useEffect, useState } from 'react';
import { dateTimeLabel } from '../format';
import { followCustomerEvents, type CustomerEvent, type FeedState } from '../gateway/live-feed';

const KEPT_EVENTS = 8;

const TYPE_LABELS: Record<string, string> = {
  CUSTOMER_CREATED: 'New customer',
  CUSTOMER_UPDATED: 'Changed',
  NOTE_CREATED: 'Note added',
  NOTE_UPDATED: 'Note edited',
  NOTE_REMOVED: 'Note removed',
};

function stateLabel(state: FeedState): string {
  switch (state.status) {
    case 'connecting':
      return 'Connecting…';
    case 'live':
      return 'Live';
    case 'reconnecting':
      return `Reconnecting in ${Math.ceil(state.inMs / 1000)} s (attempt ${state.attempt}: ${state.reason}); missed changes follow`;
    case 'refused':
      return `Stopped: ${state.reason}`;
  }
}

/** New and changed customers of the page as they happen (the customerEvents subscription). */
export function LiveStrip({
  apiKey,
  pageId,
  onOpen,
}: {
  apiKey: string;
  pageId: string;
  onOpen(pageId: string, customerId: string): void;
}) {
  const [events, setEvents] = useState<CustomerEvent[]>([]);
  const [state, setState] = useState<FeedState>({ status: 'connecting' });

  // Keyed by page in the app: another page starts with an empty strip.
  useEffect(() => {
    return followCustomerEvents({
      apiKey,
      pageId,
      onState: setState,
      onEvent: (event) =>
        setEvents((current) =>
          [event, ...current.filter((e) => e.id !== event.id)].slice(0, KEPT_EVENTS),
        ),
    });
  }, [apiKey, pageId]);

  return (
    <section className="live-strip" aria-labelledby="live-title">
      <div className="section-head">
        <h2 id="live-title">Live changes</h2>
        <span className={`feed-state ${state.status}`} role="status">
          {stateLabel(state)}
        </span>
      </div>
      {events.length === 0 ? (
        <p className="empty">Nothing yet: new and changed customers appear here.</p>
      ) : (
        <ol className="live-events" aria-live="polite">
          {events.map((event) => (
            <li key={event.id} data-event-type={event.type}>
              <button
                type="button"
                className="link"
                onClick={() => onOpen(event.customer.pageId, event.customerId)}
              >
                {event.customer.name ?? 'No name'}
              </button>
              <span className="event-type">
                {TYPE_LABELS[event.type] ?? event.type}
                {event.changedFields.length > 0 && `: ${event.changedFields.join(', ')}`}
              </span>
              <time dateTime={event.occurredAt}>{dateTimeLabel(event.occurredAt)}</time>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
