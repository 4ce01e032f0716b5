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
  images: ['https://img/1.png'],
  links: null,
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
        id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
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

  it('reads absent optional fields as empty lists or null', () => {
    const record = mapCustomer({ id: customer.id, psid: customer.psid }, PAGE_ID);
    expect(record).toMatchObject({ phoneNumbers: [], emails: [], notes: [], insertedAt: null });
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
});

describe('mapCustomerListPage', () => {
  it('maps the customers and keeps total', () => {
    const raw: RawListResponse = { total: 1245, customers: [customer], success: true };
    const page = mapCustomerListPage(raw, PAGE_ID);
    expect(page.total).toBe(1245);
    expect(page.customers.map((c) => c.id)).toEqual([customer.id]);
  });

  it('maps an empty page', () => {
    const raw: RawListResponse = { total: 0, customers: [], success: true };
    expect(mapCustomerListPage(raw, PAGE_ID)).toEqual({ total: 0, customers: [] });
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
