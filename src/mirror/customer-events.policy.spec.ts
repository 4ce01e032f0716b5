import type { CustomerRecord, NoteRecord } from '../pancake/pancake.model.js';
import { contentHashOf, eventsBetween, isNewer } from './customer-events.policy.js';

const at = (iso: string) => new Date(iso);
const note = (id: string, extra: Partial<NoteRecord> = {}): NoteRecord => ({
  id,
  message: `note ${id}`,
  createdAt: at('2025-01-02T00:00:00Z'),
  updatedAt: null,
  removedAt: null,
  createdBy: null,
  images: [],
  links: [],
  ...extra,
});
const customer = (extra: Partial<CustomerRecord> = {}): CustomerRecord => ({
  id: 'c1',
  psid: '1',
  pageId: '111',
  globalCustomerId: null,
  name: 'Lan',
  phoneNumbers: [],
  emails: [],
  gender: null,
  livesIn: null,
  birthday: null,
  insertedAt: at('2025-01-01T00:00:00Z'),
  updatedAt: at('2025-01-01T00:00:00Z'),
  notes: [],
  ...extra,
});

describe('customer events', () => {
  it('records a first sight as CUSTOMER_CREATED with no changed fields, plus its notes', () => {
    const events = eventsBetween('111', null, customer({ notes: [note('n1')] }));
    expect(events.map((e) => e.type)).toEqual(['CUSTOMER_CREATED', 'NOTE_CREATED']);
    expect(events[0]!.changedFields).toEqual([]);
  });

  it('names the changed customer fields, not notes or updatedAt', () => {
    const before = customer();
    const after = customer({
      name: 'Lan Anh',
      phoneNumbers: ['+84901234567'],
      updatedAt: at('2025-02-01T00:00:00Z'),
    });
    const [event] = eventsBetween('111', before, after);
    expect(event).toMatchObject({
      type: 'CUSTOMER_UPDATED',
      changedFields: ['name', 'phoneNumbers'],
    });
    expect(event!.occurredAt).toEqual(after.updatedAt);
  });

  it('gives the same change the same id, and another change another id', () => {
    const before = customer();
    const after = customer({ name: 'B', updatedAt: at('2025-02-01T00:00:00Z') });
    const again = eventsBetween('111', before, after)[0]!.id;
    expect(eventsBetween('111', before, after)[0]!.id).toBe(again);
    const other = customer({ name: 'C', updatedAt: at('2025-02-01T00:00:00Z') });
    expect(eventsBetween('111', before, other)[0]!.id).not.toBe(again);
    expect(eventsBetween('222', before, after)[0]!.id).not.toBe(again);
  });

  it('tells note edits and removals apart', () => {
    const before = customer({ notes: [note('n1'), note('n2')] });
    const after = customer({
      notes: [
        note('n1', { message: 'edited', updatedAt: at('2025-03-01T00:00:00Z') }),
        note('n2', { removedAt: at('2025-03-02T00:00:00Z') }),
        note('n3'),
      ],
    });
    expect(eventsBetween('111', before, after).map((e) => [e.type, e.note?.id])).toEqual([
      ['NOTE_UPDATED', 'n1'],
      ['NOTE_REMOVED', 'n2'],
      ['NOTE_CREATED', 'n3'],
    ]);
  });

  it('never takes an older version, and ignores the same content', () => {
    const stored = customer({ updatedAt: at('2025-02-01T00:00:00Z'), name: 'new' });
    const hash = contentHashOf(stored);
    expect(isNewer(stored, hash, customer({ name: 'old' }))).toBe(false);
    expect(isNewer(stored, hash, { ...stored })).toBe(false);
    // Same updated_at, other content: a change only a re-sweep sees.
    expect(isNewer(stored, hash, { ...stored, name: 'silent' })).toBe(true);
  });
});
