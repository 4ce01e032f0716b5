import { payloadOf, type EventRow } from './webhook-payload.js';

describe('payloadOf', () => {
  const event: EventRow = {
    id: 'evt_1',
    type: 'NOTE_CREATED',
    origin: 'PANCAKE',
    page_id: '111',
    occurred_at: new Date('2026-01-02T03:04:05.000Z'),
    changed_fields: [],
    customer: {
      id: 'c1',
      psid: '123',
      pageId: '111',
      name: 'An',
      notes: [
        { id: 'n1', message: 'kept', removedAt: null },
        { id: 'n2', message: 'gone', removedAt: '2026-01-01T00:00:00.000Z' },
      ],
    },
    note: { id: 'n1', message: 'kept', removedAt: null },
  };

  it('has the contract shape: type, timestamp and data', () => {
    const body = JSON.parse(payloadOf(event, 'https://pancake.vn/api/v1')) as Record<
      string,
      unknown
    >;
    expect(body).toEqual({
      type: 'note.created',
      timestamp: '2026-01-02T03:04:05.000Z',
      data: {
        pageId: '111',
        customer: {
          id: 'c1',
          psid: '123',
          pageId: '111',
          name: 'An',
          notes: [{ id: 'n1', message: 'kept', removedAt: null }],
          avatarUrl: 'https://pancake.vn/api/v1/pages/111/avatar/123',
        },
        changedFields: [],
        note: { id: 'n1', message: 'kept', removedAt: null },
        origin: 'PANCAKE',
      },
    });
  });

  it('names every event type as the contract does', () => {
    const types = [
      'CUSTOMER_CREATED',
      'CUSTOMER_UPDATED',
      'NOTE_CREATED',
      'NOTE_UPDATED',
      'NOTE_REMOVED',
    ].map((type) => (JSON.parse(payloadOf({ ...event, type }, 'x')) as { type: string }).type);
    expect(types).toEqual([
      'customer.created',
      'customer.updated',
      'note.created',
      'note.updated',
      'note.removed',
    ]);
  });

  it('is the same bytes every time (what was signed is what is sent)', () => {
    expect(payloadOf(event, 'x')).toBe(payloadOf(event, 'x'));
  });
});
