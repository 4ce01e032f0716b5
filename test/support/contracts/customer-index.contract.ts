// What every CustomerIndex promises, run against each backend (src/customers/stores and test/redis).
import type { CustomerIndex } from '../../../src/customers/stores/customer-index.js';
import type { CustomerRecord } from '../../../src/pancake/pancake.model.js';

export function customerRecord(overrides: Partial<CustomerRecord> = {}): CustomerRecord {
  return {
    id: '5f0c3c1e-0000-4000-8000-000000000001',
    psid: '24001',
    pageId: '111',
    globalCustomerId: null,
    name: 'Nguyễn Văn A',
    phoneNumbers: ['+84912345678'],
    emails: [],
    gender: 'male',
    livesIn: null,
    birthday: '1998-00-00',
    insertedAt: new Date('2024-03-01T08:00:00.000Z'),
    updatedAt: new Date('2024-05-02T09:30:15.250Z'),
    notes: [
      {
        id: 'note-1',
        message: 'called back',
        createdAt: new Date('2024-05-02T09:30:00.000Z'),
        updatedAt: null,
        removedAt: new Date('2024-05-03T00:00:00.000Z'),
        createdBy: { uid: 'u1', name: 'Agent' },
        images: [],
        links: [],
      },
    ],
    ...overrides,
  };
}

export const SEEN_AT = Date.parse('2024-06-01T12:00:00.000Z');

/** The behaviour both backends share. */
export function behavesLikeACustomerIndex(make: () => CustomerIndex): void {
  it('round-trips a customer with real Dates', async () => {
    const index = make();
    const record = customerRecord();
    await index.remember([record]);
    const found = await index.lookup('111', record.id);
    expect(found).toEqual({
      pageId: '111',
      psid: '24001',
      insertedAt: record.insertedAt,
      updatedAt: record.updatedAt,
      snapshot: record,
      seenAt: new Date(SEEN_AT),
    });
    expect(found?.snapshot.notes[0].createdAt).toBeInstanceOf(Date);
    expect(found?.snapshot.notes[0].removedAt?.toISOString()).toBe('2024-05-03T00:00:00.000Z');
    expect(found?.insertedAt).toBeInstanceOf(Date);
  });

  it('keeps null dates null', async () => {
    const index = make();
    const record = customerRecord({ id: 'no-dates', insertedAt: null, updatedAt: null, notes: [] });
    await index.remember([record]);
    const found = await index.lookup('111', 'no-dates');
    expect(found?.insertedAt).toBeNull();
    expect(found?.snapshot).toEqual(record);
  });

  it('answers null for an unknown id and for an id of another page', async () => {
    const index = make();
    await index.remember([customerRecord()]);
    expect(await index.lookup('111', 'unknown-id')).toBeNull();
    expect(await index.lookup('222', customerRecord().id)).toBeNull();
  });

  it('is not changed by the caller mutating its records (in-process: the attempt throws)', async () => {
    const index = make();
    const record = customerRecord({ id: 'mutated' });
    await index.remember([record]);
    const attempt = (mutate: () => void): void => {
      try {
        mutate();
      } catch (error) {
        expect(error).toBeInstanceOf(TypeError); // frozen
      }
    };
    attempt(() => (record.name = 'changed'));
    const looked = await index.lookup('111', 'mutated');
    attempt(() => looked!.snapshot.phoneNumbers.push('x'));
    const found = await index.lookup('111', 'mutated');
    expect(found?.snapshot.name).toBe('Nguyễn Văn A');
    expect(found?.snapshot.phoneNumbers).toEqual(['+84912345678']);
  });

  it('replaces an entry when the customer is seen again, and forgets per page', async () => {
    const index = make();
    await index.remember([customerRecord({ id: 'c1', name: 'old' })]);
    await index.remember([customerRecord({ id: 'c1', name: 'new' })]);
    expect((await index.lookup('111', 'c1'))?.snapshot.name).toBe('new');
    await index.forget('222', 'c1');
    expect(await index.lookup('111', 'c1')).not.toBeNull();
    await index.forget('111', 'c1');
    expect(await index.lookup('111', 'c1')).toBeNull();
  });

  it('remembers a whole list page of 100', async () => {
    const index = make();
    const records = Array.from({ length: 100 }, (_, i) =>
      customerRecord({ id: `bulk-${i}`, psid: `p${i}` }),
    );
    await index.remember(records);
    await index.remember([]);
    for (const i of [0, 42, 99])
      expect((await index.lookup('111', `bulk-${i}`))?.psid).toBe(`p${i}`);
  });
}
