import fc from 'fast-check';
import {
  mapCustomer,
  mapCustomerListPage,
  mapNote,
  toRawChanges,
  toRawListParams,
  toUpstreamOrder,
} from './customer.mapper.js';
import type { RawCustomer, RawListResponse, RawNote } from './pancake.raw.js';

const PAGE_ID = '107734064917766';

const note: RawNote = {
  id: 'n1',
  message: 'Called back',
  created_at: 1629959396123,
  updated_at: 1629959400000,
  removed_at: null,
  created_by: { uid: 'u-1', fb_id: '55', fb_name: 'Lan' },
  edit_history: [],
  images: ['https://img/1.png'],
  links: null,
  order_id: null,
};

const customer: RawCustomer = {
  id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
  customer_id: 'c0ffee00-0000-4000-8000-000000000001',
  psid: '4839274892374',
  name: 'Nguyễn Văn A',
  phone_numbers: ['+84901234567'],
  emails: ['a@example.com'],
  gender: 'male',
  birthday: '1998-00-00',
  lives_in: 'Hà Nội',
  thread_id: null,
  can_inbox: true,
  recent_orders: null,
  inserted_at: '2021-08-26T06:29:56',
  updated_at: '2019-08-24T14:15:22.123456',
  notes: [note, { ...note, id: 'n2', removed_at: 1629959500000 }],
};

describe('mapCustomer', () => {
  it('maps every field, converting times, keeping removed notes with removedAt set', () => {
    expect(mapCustomer(customer, PAGE_ID)).toEqual({
      id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
      psid: '4839274892374',
      pageId: PAGE_ID,
      globalCustomerId: 'c0ffee00-0000-4000-8000-000000000001',
      name: 'Nguyễn Văn A',
      phoneNumbers: ['+84901234567'],
      emails: ['a@example.com'],
      gender: 'male',
      livesIn: 'Hà Nội',
      birthday: '1998-00-00',
      insertedAt: new Date('2021-08-26T06:29:56.000Z'),
      updatedAt: new Date('2019-08-24T14:15:22.123Z'),
      notes: [
        {
          id: 'n1',
          message: 'Called back',
          createdAt: new Date('2021-08-26T06:29:56.123Z'),
          updatedAt: new Date('2021-08-26T06:30:00.000Z'),
          removedAt: null,
          createdBy: { uid: 'u-1', name: 'Lan' },
          images: ['https://img/1.png'],
          links: [],
        },
        {
          id: 'n2',
          message: 'Called back',
          createdAt: new Date('2021-08-26T06:29:56.123Z'),
          updatedAt: new Date('2021-08-26T06:30:00.000Z'),
          removedAt: new Date('2021-08-26T06:31:40.000Z'),
          createdBy: { uid: 'u-1', name: 'Lan' },
          images: ['https://img/1.png'],
          links: [],
        },
      ],
    });
  });

  it('turns every null into an empty list or null', () => {
    const record = mapCustomer(
      {
        id: 'x',
        psid: '1',
        customer_id: null,
        name: null,
        phone_numbers: null,
        emails: null,
        gender: null,
        birthday: null,
        lives_in: null,
        inserted_at: null,
        updated_at: null,
        notes: null,
      },
      PAGE_ID,
    );
    expect(record).toMatchObject({
      globalCustomerId: null,
      name: null,
      phoneNumbers: [],
      emails: [],
      gender: null,
      birthday: null,
      livesIn: null,
      insertedAt: null,
      updatedAt: null,
      notes: [],
    });
  });

  it.each([
    ['other', null],
    ['MALE', 'male'],
    ['', null],
  ])('reads gender %j as %j', (gender, expected) => {
    const raw = { ...customer, gender } as unknown as RawCustomer;
    expect(mapCustomer(raw, PAGE_ID).gender).toBe(expected);
  });

  it.each([
    ['1990-05-12', '1990-05-12'],
    ['1998-00-00', '1998-00-00'],
    ['1990/05/12', null],
    ['12-05-1990', null],
    ['', null],
  ])('keeps birthday %j only in upstream form', (birthday, expected) => {
    expect(mapCustomer({ ...customer, birthday }, PAGE_ID).birthday).toBe(expected);
  });

  it('tolerates schema drift: missing, extra and mistyped fields', () => {
    const drifted = {
      id: 12345,
      psid: 987654321,
      phone_numbers: ['0901', null, 42, { n: 1 }],
      emails: 'not-a-list',
      inserted_at: 1629959396,
      notes: [null, 'junk', { message: 'no id' }, { id: 'n9', created_at: 'soon' }],
      brand_new_field: { nested: true },
    } as unknown as RawCustomer;
    const record = mapCustomer(drifted, PAGE_ID);
    expect(record).toMatchObject({
      id: '12345',
      psid: '987654321',
      phoneNumbers: ['0901', '42'],
      emails: [],
      insertedAt: null,
      name: null,
    });
    expect(record.notes).toEqual([
      {
        id: 'n9',
        message: '',
        createdAt: new Date(0),
        updatedAt: null,
        removedAt: null,
        createdBy: null,
        images: [],
        links: [],
      },
    ]);
    expect(() => mapCustomer(null as unknown as RawCustomer, PAGE_ID)).not.toThrow();
  });

  it('never throws on arbitrary partial raw customers', () => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
    const naiveTime = fc
      .date({ min: new Date('2000-01-01Z'), max: new Date('2100-01-01Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 23));
    const rawNote = fc.record(
      {
        id: fc.oneof(fc.string(), fc.integer()),
        message: maybe(fc.string()),
        created_at: fc.oneof(fc.integer(), fc.double(), fc.string()),
        updated_at: maybe(fc.integer()),
        removed_at: maybe(fc.integer()),
        created_by: maybe(
          fc.record(
            {
              uid: fc.oneof(fc.string(), fc.constant(null)),
              fb_id: maybe(fc.string()),
              fb_name: maybe(fc.string()),
            },
            { requiredKeys: [] },
          ),
        ),
        images: maybe(fc.array(fc.oneof(fc.string(), fc.constant(null)))),
        links: maybe(fc.array(fc.string())),
        edit_history: maybe(fc.array(fc.anything())),
      },
      { requiredKeys: [] },
    );
    const rawCustomer = fc.record(
      {
        id: fc.oneof(fc.uuid(), fc.string(), fc.integer()),
        customer_id: maybe(fc.uuid()),
        psid: fc.oneof(fc.stringMatching(/^[0-9]{1,20}$/), fc.integer()),
        name: maybe(fc.string({ unit: 'binary' })),
        phone_numbers: maybe(fc.array(fc.string())),
        emails: maybe(fc.oneof(fc.array(fc.string()), fc.string())),
        gender: maybe(fc.oneof(fc.constantFrom('male', 'female', 'unknown'), fc.string())),
        birthday: maybe(fc.oneof(fc.stringMatching(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/), fc.string())),
        lives_in: maybe(fc.string()),
        can_inbox: fc.boolean(),
        recent_orders: fc.anything(),
        inserted_at: maybe(fc.oneof(naiveTime, fc.string(), fc.integer())),
        updated_at: maybe(naiveTime),
        notes: maybe(fc.array(fc.oneof(rawNote, fc.anything()), { maxLength: 5 })),
        unexpected: fc.anything(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(rawCustomer, (raw) => {
        const record = mapCustomer(raw as unknown as RawCustomer, PAGE_ID);
        expect(record.pageId).toBe(PAGE_ID);
        expect(Array.isArray(record.phoneNumbers) && Array.isArray(record.emails)).toBe(true);
        for (const date of [record.insertedAt, record.updatedAt]) {
          expect(date === null || !Number.isNaN(date.getTime())).toBe(true);
        }
        for (const n of record.notes) {
          expect(n.id).not.toBe('');
          expect(n.removedAt === null || !Number.isNaN(n.removedAt.getTime())).toBe(true);
          expect(Number.isNaN(n.createdAt.getTime())).toBe(false);
          expect(n.images.every((i) => typeof i === 'string')).toBe(true);
        }
      }),
    );
  });

  it('round-trips naive upstream times', () => {
    const date = fc.date({
      min: new Date('1970-01-01Z'),
      max: new Date('2999-12-31Z'),
      noInvalidDate: true,
    });
    fc.assert(
      fc.property(date, (d) => {
        const naive = `${d.toISOString().slice(0, 23)}000`; // upstream's microsecond form
        const record = mapCustomer({ ...customer, inserted_at: naive, updated_at: naive }, PAGE_ID);
        expect(record.insertedAt?.toISOString()).toBe(d.toISOString());
        expect(record.updatedAt?.getTime()).toBe(d.getTime());
      }),
    );
  });
});

describe('mapNote', () => {
  it('reads authors from fb_name and tolerates their absence', () => {
    expect(mapNote({ ...note, created_by: null }).createdBy).toBeNull();
    expect(mapNote({ ...note, created_by: { uid: 'u', fb_name: null } }).createdBy).toEqual({
      uid: 'u',
      name: null,
    });
    expect(mapNote({ ...note, images: null, links: null })).toMatchObject({
      images: [],
      links: [],
    });
  });

  it('keeps removal times when asked directly', () => {
    expect(mapNote({ ...note, removed_at: 1629959500000 }).removedAt).toEqual(
      new Date('2021-08-26T06:31:40.000Z'),
    );
  });

  it('falls back to the edit time when the creation time is missing', () => {
    const raw = { ...note, created_at: undefined } as unknown as RawNote;
    expect(mapNote(raw).createdAt).toEqual(new Date('2021-08-26T06:30:00.000Z'));
  });
});

describe('mapCustomerListPage', () => {
  it('maps the customers and keeps total', () => {
    const raw: RawListResponse = { total: 1245, customers: [customer], success: true };
    const page = mapCustomerListPage(raw, PAGE_ID);
    expect(page.total).toBe(1245);
    expect(page.customers.map((c) => c.id)).toEqual([customer.id]);
  });

  it('tolerates a missing list or total', () => {
    const raw = { success: true, customers: null } as unknown as RawListResponse;
    expect(mapCustomerListPage(raw, PAGE_ID)).toEqual({ total: 0, customers: [] });
    const noTotal = { success: true, customers: [customer, 'junk'] } as unknown as RawListResponse;
    expect(mapCustomerListPage(noTotal, PAGE_ID).total).toBe(1);
  });
});

describe('to upstream', () => {
  it('writes changes in snake_case with only the keys set', () => {
    expect(
      toRawChanges({
        name: 'A',
        phoneNumbers: ['+84901234567'],
        gender: 'female',
        birthday: '1990-05-12',
      }),
    ).toEqual({
      name: 'A',
      phone_numbers: ['+84901234567'],
      gender: 'female',
      birthday: '1990-05-12',
    });
    expect(toRawChanges({ phoneNumbers: [] })).toEqual({ phone_numbers: [] });
    const sparse = toRawChanges({ gender: 'unknown', name: undefined });
    expect(Object.keys(sparse)).toEqual(['gender']);
  });

  it('maps the order and the list window in Unix seconds', () => {
    expect(toUpstreamOrder('inserted_at')).toBe('inserted_at');
    expect(toUpstreamOrder('updated_at')).toBe('updated_at');
    expect(
      toRawListParams({
        since: new Date('2021-08-26T06:29:56.999Z'),
        until: new Date('2021-08-27T00:00:00.000Z'),
        pageNumber: 2,
        pageSize: 100,
        orderBy: 'updated_at',
      }),
    ).toEqual({
      since: 1629959396,
      until: 1630022400,
      page_number: 2,
      page_size: 100,
      order_by: 'updated_at',
    });
  });
});
