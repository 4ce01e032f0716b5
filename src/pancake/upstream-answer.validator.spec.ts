import fc from 'fast-check';
import { mapCustomerListPage } from './customer.mapper.js';
import { checkListAnswer, formatProblem, type RefusedAnswer } from './upstream-answer.validator.js';

const CUSTOMER_ID = '3fa85f64-5717-4562-b3fc-2c963f66afa6';

/** A customer as the simulator sends it: every key present, nullable ones null. */
const customer = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  id: CUSTOMER_ID,
  customer_id: null,
  psid: '4839274892374',
  name: 'Nguyễn Văn A',
  phone_numbers: ['+84901234567'],
  emails: null,
  gender: null,
  birthday: '1998-00-00',
  lives_in: null,
  thread_id: null,
  can_inbox: true,
  recent_orders: null,
  inserted_at: '2021-08-26T06:29:56',
  updated_at: '2019-08-24T14:15:22.000000',
  notes: [
    {
      id: '65a1f0c2e4b0a1b2c3d4e5f6',
      message: 'Called back',
      created_at: 1629959396123,
      updated_at: null,
      removed_at: null,
      created_by: { uid: 'u-1', fb_id: null, fb_name: null },
      edit_history: [],
      images: [],
      links: [],
      order_id: null,
    },
  ],
  ...overrides,
});

const page = (customers: unknown[], overrides: Record<string, unknown> = {}) => ({
  total: customers.length,
  customers,
  success: true,
  ...overrides,
});

function refusal(body: unknown): RefusedAnswer {
  const checked = checkListAnswer(body);
  if (checked.ok) throw new Error('expected the answer to be refused');
  return checked;
}

const paths = (body: unknown): string[] => refusal(body).problems.map((p) => p.path);

describe('checkListAnswer', () => {
  it('accepts what the contract allows: nulls, both timestamp forms, partial birthdays, extra keys', () => {
    const body = page([
      customer(),
      customer({
        customer_id: 'c0ffee00-0000-4000-8000-000000000001',
        emails: ['a@example.com'],
        gender: 'female',
        birthday: '0000-05-12',
        inserted_at: '2019-08-24T14:15:22.123000',
        updated_at: null,
        notes: null,
        brand_new_field: { nested: [1, 2] },
      }),
      // Only the keys the gateway needs.
      { id: CUSTOMER_ID.toUpperCase(), psid: '1' },
    ]);
    const checked = checkListAnswer(body);
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const mapped = mapCustomerListPage(checked.value, '111');
    expect(mapped.customers.map((c) => c.insertedAt?.toISOString() ?? null)).toEqual([
      '2021-08-26T06:29:56.000Z',
      '2019-08-24T14:15:22.123Z',
      null,
    ]);
    expect(mapped.customers[0].notes[0].createdAt.toISOString()).toBe('2021-08-26T06:29:56.123Z');
  });

  it('reads an unknown gender or a birthday in another form as not known', () => {
    const checked = checkListAnswer(page([customer({ gender: 'other', birthday: '12/05/1990' })]));
    expect(checked.ok).toBe(true);
    if (!checked.ok) return;
    const [mapped] = mapCustomerListPage(checked.value, '111').customers;
    expect(mapped).toMatchObject({ gender: null, birthday: null });
  });

  it.each([
    [
      'a wrong total and a map of customers',
      { total: 'lots', customers: { a: 1 }, success: true },
      ['total', 'customers'],
    ],
    ['a null entry', page([customer(), null]), ['customers[1]']],
    ['an id that is a path', page([customer({ id: '../../x' })]), ['customers[0].id']],
    ['a missing id', page([customer({ id: undefined })]), ['customers[0].id']],
    [
      'a numeric psid (precision would be lost)',
      page([customer({ psid: 4839274892374 })]),
      ['customers[0].psid'],
    ],
    ['a psid that is not digits', page([customer({ psid: '12/34' })]), ['customers[0].psid']],
    ['a negative total', page([customer()], { total: -1 }), ['total']],
    ['a fractional total', page([customer()], { total: 1.5 }), ['total']],
    ['a missing total', page([customer()], { total: undefined }), ['total']],
    [
      'phone numbers as a string',
      page([customer({ phone_numbers: '0901' })]),
      ['customers[0].phone_numbers'],
    ],
    [
      'a null phone number',
      page([customer({ phone_numbers: [null] })]),
      ['customers[0].phone_numbers[0]'],
    ],
    [
      'an unreadable timestamp',
      page([customer({ inserted_at: 'yesterday' })]),
      ['customers[0].inserted_at'],
    ],
    [
      'a timestamp in seconds',
      page([customer({ updated_at: 1629959396 })]),
      ['customers[0].updated_at'],
    ],
    ['a null note', page([customer({ notes: [null] })]), ['customers[0].notes[0]']],
    [
      'a note id with a slash',
      page([customer({ notes: [{ ...(customer().notes as object[])[0], id: 'a/b' }] })]),
      ['customers[0].notes[0].id'],
    ],
    [
      'a note time as a string',
      page([customer({ notes: [{ ...(customer().notes as object[])[0], created_at: 'soon' }] })]),
      ['customers[0].notes[0].created_at'],
    ],
    ['success missing', { total: 0, customers: [] }, ['success']],
    ['not an object', [], ['']],
  ])('refuses %s, naming where', (_name, body, expected) => {
    expect(paths(body)).toEqual(expected);
  });

  it('describes problems in a bounded way: a few paths, short samples, the top-level shape', () => {
    const long = 'x'.repeat(10_000);
    const body = {
      ...page(Array.from({ length: 1000 }, () => customer({ id: long }))),
      total: 'lots',
    };
    const refused = refusal(body);
    expect(refused.problems).toHaveLength(5);
    expect(refused.more).toBe(996);
    expect(refused.shape).toBe('{total: string, customers: array(1000), success: boolean}');
    const lines = refused.problems.map(formatProblem);
    expect(lines[0]).toBe('total: Invalid input: expected number, received string (got "lots")');
    expect(lines[1]).toMatch(/^customers\[0\]\.id: expected a UUID \(got "x{40}…"\)$/);
    for (const line of lines) expect(line.length).toBeLessThan(120);
  });

  describe('generated pages', () => {
    const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: null });
    const naiveTime = fc
      .date({ min: new Date('1970-01-01Z'), max: new Date('2999-12-31Z'), noInvalidDate: true })
      .chain((d) =>
        fc.constantFrom(d.toISOString().slice(0, 19), `${d.toISOString().slice(0, 23)}000`),
      );
    const millis = fc.integer({ min: 0, max: 32503680000000 });
    const rawNote = fc.record(
      {
        id: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
        message: fc.string(),
        created_at: millis,
        updated_at: maybe(millis),
        removed_at: maybe(millis),
        created_by: maybe(
          fc.record(
            { uid: fc.string(), fb_id: maybe(fc.string()), fb_name: maybe(fc.string()) },
            { requiredKeys: ['uid'] },
          ),
        ),
        edit_history: fc.anything(),
        images: maybe(fc.array(fc.string())),
        links: maybe(fc.array(fc.string())),
        order_id: fc.anything(),
      },
      { requiredKeys: ['id', 'message', 'created_at'] },
    );
    const rawCustomer = fc.record(
      {
        id: fc.uuid(),
        customer_id: maybe(fc.uuid()),
        psid: fc.stringMatching(/^[0-9]{1,32}$/),
        name: maybe(fc.string()),
        phone_numbers: maybe(fc.array(fc.string(), { maxLength: 3 })),
        emails: maybe(fc.array(fc.string(), { maxLength: 2 })),
        gender: maybe(fc.oneof(fc.constantFrom('male', 'female', 'unknown'), fc.string())),
        birthday: maybe(fc.oneof(fc.stringMatching(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/), fc.string())),
        lives_in: maybe(fc.string()),
        thread_id: fc.anything(),
        can_inbox: fc.anything(),
        recent_orders: fc.anything(),
        inserted_at: maybe(naiveTime),
        updated_at: maybe(naiveTime),
        notes: maybe(fc.array(rawNote, { maxLength: 3 })),
        some_future_field: fc.anything(),
      },
      { requiredKeys: ['id', 'psid'] },
    );
    const validPage = fc.record({
      total: fc.nat(),
      customers: fc.array(rawCustomer, { minLength: 1, maxLength: 4 }),
      success: fc.constant(true),
    });

    it('accepts every valid page and maps it whole', () => {
      fc.assert(
        fc.property(validPage, (body) => {
          const checked = checkListAnswer(body);
          expect(checked.ok).toBe(true);
          if (!checked.ok) return;
          const mapped = mapCustomerListPage(checked.value, '111');
          expect(mapped.customers.map((c) => c.id)).toEqual(body.customers.map((c) => c.id));
          for (const c of mapped.customers) {
            for (const date of [c.insertedAt, c.updatedAt]) expect(date?.getTime()).not.toBeNaN();
          }
        }),
      );
    });

    type Mutation = (body: { customers: Record<string, unknown>[] }, i: number) => string;
    const notAnId = fc
      .string()
      .filter((s) => !/^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(s));
    const mutations: fc.Arbitrary<Mutation> = fc.oneof(
      fc.constant<Mutation>((b, i) => ((b.customers[i] = null as never), `customers[${i}]`)),
      notAnId.map<Mutation>((id) => (b, i) => ((b.customers[i].id = id), `customers[${i}].id`)),
      fc.constant<Mutation>((b, i) => (delete b.customers[i].id, `customers[${i}].id`)),
      fc
        .integer()
        .map<Mutation>((n) => (b, i) => ((b.customers[i].psid = n), `customers[${i}].psid`)),
      fc.constant<Mutation>(
        (b, i) => ((b.customers[i].phone_numbers = [null]), `customers[${i}].phone_numbers[0]`),
      ),
      fc.constant<Mutation>(
        (b, i) => ((b.customers[i].inserted_at = 'soon'), `customers[${i}].inserted_at`),
      ),
      fc.constant<Mutation>(
        (b, i) => ((b.customers[i].notes = [{ id: 'n' }]), `customers[${i}].notes[0].message`),
      ),
      fc
        .oneof(fc.integer({ max: -1 }), fc.double({ noInteger: true }), fc.string())
        .map<Mutation>((total) => (b) => (Object.assign(b, { total }), 'total')),
    );

    it('refuses every mutated page, naming the mutated path', () => {
      fc.assert(
        fc.property(validPage, fc.nat(), mutations, (body, n, mutate) => {
          const copy = structuredClone(body) as unknown as { customers: Record<string, unknown>[] };
          const path = mutate(copy, n % copy.customers.length);
          expect(paths(copy)).toContain(path);
        }),
      );
    });
  });
});
