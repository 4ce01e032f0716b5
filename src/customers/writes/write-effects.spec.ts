import type { CustomerRecord, NoteRecord } from '../../pancake/pancake.model.js';
import type { Acknowledgement, InDoubtWrite } from '../stores/write-ledger.js';
import { createdNotes, extraNoteCopies, phonesToRestore, writeLanded } from './write-effects.js';

const T0 = Date.parse('2026-05-01T10:00:00Z');

function note(
  id: string,
  message: string,
  createdAtMs: number,
  extra: Partial<NoteRecord> = {},
): NoteRecord {
  return {
    id,
    message,
    createdAt: new Date(createdAtMs),
    updatedAt: null,
    removedAt: null,
    createdBy: { uid: 'api', name: null },
    images: [],
    links: [],
    ...extra,
  };
}

function customer(overrides: Partial<CustomerRecord> = {}): CustomerRecord {
  return {
    id: 'c1',
    psid: '1',
    pageId: '111',
    globalCustomerId: null,
    name: 'A',
    phoneNumbers: ['+84901000001'],
    emails: [],
    gender: 'male',
    livesIn: null,
    birthday: null,
    insertedAt: new Date(T0 - 86_400_000),
    updatedAt: new Date(T0),
    notes: [],
    ...overrides,
  };
}

function doubt(overrides: Partial<InDoubtWrite>): InDoubtWrite {
  return {
    id: 'd1',
    pageId: '111',
    customerId: 'c1',
    kind: 'update',
    sentAt: T0 + 1000,
    landsBy: T0 + 61_000,
    baselineUpdatedAt: T0,
    ...overrides,
  };
}

describe('writeLanded', () => {
  const phones = ['+84901000001', '+84901000002'];

  it('sees an update only when the customer changed since the baseline and holds its fields', () => {
    const d = doubt({ changes: { phoneNumbers: phones, name: 'B' } });
    expect(
      writeLanded(d, customer({ phoneNumbers: phones, name: 'B', updatedAt: new Date(T0 + 2000) }))
        .landed,
    ).toBe(true);
    // Same values, but nothing changed since the baseline: not evidence the write landed.
    expect(
      writeLanded(d, customer({ phoneNumbers: phones, name: 'B', updatedAt: new Date(T0) })).landed,
    ).toBe(false);
    // Changed, but not to what the write carried (another change).
    expect(
      writeLanded(d, customer({ phoneNumbers: phones, name: 'C', updatedAt: new Date(T0 + 2000) }))
        .landed,
    ).toBe(false);
    expect(
      writeLanded(
        d,
        customer({
          phoneNumbers: [...phones].reverse(),
          name: 'B',
          updatedAt: new Date(T0 + 2000),
        }),
      ).landed,
    ).toBe(false);
    expect(writeLanded(d, null).landed).toBe(false);
  });

  it('without a baseline, takes the fields alone', () => {
    const d = doubt({ changes: { gender: 'female' }, baselineUpdatedAt: null });
    expect(writeLanded(d, customer({ gender: 'female' })).landed).toBe(true);
  });

  it('finds a created note: new since the POST, with its message, oldest first', () => {
    const d = doubt({ kind: 'note_create', message: 'hi', knownNoteIds: ['n0'] });
    const current = customer({
      notes: [
        note('n0', 'hi', T0 - 5000),
        note('n2', 'hi', T0 + 3000),
        note('n1', 'hi', T0 + 2000),
        note('n3', 'other', T0 + 2500),
        note('n4', 'hi', T0 + 2600, { removedAt: new Date(T0 + 2700) }),
      ],
    });
    const landing = writeLanded(d, current);
    expect(landing).toMatchObject({ landed: true, note: { id: 'n1' } });
    expect(createdNotes(current, d).map((n) => n.id)).toEqual(['n1', 'n2']);
    expect(writeLanded(d, customer({ notes: [note('n0', 'hi', T0 - 5000)] })).landed).toBe(false);
  });

  it('sees a note edit by message and a newer updatedAt, a delete by the note being gone', () => {
    const edit = doubt({
      kind: 'note_update',
      noteId: 'n1',
      message: 'new',
      baselineUpdatedAt: T0,
    });
    const edited = customer({
      notes: [note('n1', 'new', T0 - 9000, { updatedAt: new Date(T0 + 10) })],
    });
    expect(writeLanded(edit, edited)).toMatchObject({ landed: true, note: { id: 'n1' } });
    const stale = customer({ notes: [note('n1', 'new', T0 - 9000, { updatedAt: new Date(T0) })] });
    expect(writeLanded(edit, stale).landed).toBe(false);

    const removal = doubt({ kind: 'note_delete', noteId: 'n1' });
    expect(writeLanded(removal, customer({ notes: [note('n1', 'x', T0)] })).landed).toBe(false);
    expect(writeLanded(removal, customer({ notes: [] })).landed).toBe(true);
    expect(
      writeLanded(
        removal,
        customer({ notes: [note('n1', 'x', T0, { removedAt: new Date(T0 + 5) })] }),
      ).landed,
    ).toBe(true);
  });
});

describe('phonesToRestore', () => {
  const L = ['+84901000001'];
  const X = '+84901000002';
  const Y = '+84901000003';
  const ghost = doubt({ changes: { phoneNumbers: [...L, X] }, sentAt: T0 + 1000 });

  it('puts back numbers acknowledged after the write when the list is exactly what it carried', () => {
    const acks: Acknowledgement[] = [
      { kind: 'phones-added', numbers: [X], at: T0 + 3000 },
      { kind: 'phones-added', numbers: [Y], at: T0 + 4000 },
    ];
    expect(phonesToRestore(customer({ phoneNumbers: [...L, X] }), [ghost], acks)).toEqual([Y]);
    // Same set in another order still is the late write's content.
    expect(phonesToRestore(customer({ phoneNumbers: [X, ...L] }), [ghost], acks)).toEqual([Y]);
  });

  it('does nothing when the list is not what an in-doubt write carried', () => {
    const acks: Acknowledgement[] = [{ kind: 'phones-added', numbers: [Y], at: T0 + 4000 }];
    expect(phonesToRestore(customer({ phoneNumbers: [...L, X, Y] }), [ghost], acks)).toEqual([]);
    expect(phonesToRestore(customer({ phoneNumbers: L }), [ghost], acks)).toEqual([]);
    expect(phonesToRestore(customer({ phoneNumbers: [...L, X] }), [], acks)).toEqual([]);
  });

  it('ignores acknowledgements before the write and numbers a later full update removed', () => {
    const acks: Acknowledgement[] = [
      { kind: 'phones-added', numbers: [Y], at: T0 + 500 },
      { kind: 'phones-added', numbers: ['+84901000004'], at: T0 + 2000 },
      { kind: 'phones-set', numbers: [...L, X], at: T0 + 3000 },
      { kind: 'phones-added', numbers: ['+84901000005'], at: T0 + 5000 },
    ];
    expect(phonesToRestore(customer({ phoneNumbers: [...L, X] }), [ghost], acks)).toEqual([
      '+84901000005',
    ]);
  });
});

describe('extraNoteCopies', () => {
  const create = doubt({ kind: 'note_create', message: 'hi', knownNoteIds: ['n0'] });

  it('removes unacknowledged copies once one copy was acknowledged', () => {
    const current = customer({ notes: [note('n1', 'hi', T0 + 2000), note('n2', 'hi', T0 + 5000)] });
    const acks: Acknowledgement[] = [{ kind: 'note', noteId: 'n1', message: 'hi', at: T0 + 2100 }];
    expect(extraNoteCopies(current, [create], acks).map((n) => n.id)).toEqual(['n2']);
  });

  it('keeps the oldest when none was acknowledged, and every acknowledged one', () => {
    const current = customer({ notes: [note('n2', 'hi', T0 + 5000), note('n1', 'hi', T0 + 2000)] });
    expect(extraNoteCopies(current, [create], []).map((n) => n.id)).toEqual(['n2']);
    const both: Acknowledgement[] = [
      { kind: 'note', noteId: 'n1', message: 'hi', at: T0 },
      { kind: 'note', noteId: 'n2', message: 'hi', at: T0 },
    ];
    expect(extraNoteCopies(current, [create], both)).toEqual([]);
  });

  it('leaves a single copy, removed copies and notes known before alone', () => {
    expect(
      extraNoteCopies(customer({ notes: [note('n1', 'hi', T0 + 2000)] }), [create], []),
    ).toEqual([]);
    const current = customer({
      notes: [
        note('n0', 'hi', T0 - 1),
        note('n1', 'hi', T0 + 2000),
        note('n2', 'hi', T0 + 3000, { removedAt: new Date(T0 + 4000) }),
      ],
    });
    expect(extraNoteCopies(current, [create], [])).toEqual([]);
  });
});
