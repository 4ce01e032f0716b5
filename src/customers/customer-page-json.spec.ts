import { customerPageJson, CustomerJsonCache } from './customer-page-json.js';
import type { CustomerPageView, CustomerView } from './customer-view.js';

function customer(id: string, extra: Partial<CustomerView> = {}): CustomerView {
  return {
    id,
    pageId: '111',
    psid: `psid-${id}`,
    name: 'Nguyễn Văn "A"\n',
    phoneNumbers: ['+84901234567'],
    gender: null,
    birthday: { year: null, month: 3, day: 9 },
    livesIn: undefined,
    insertedAt: new Date('2026-01-02T03:04:05.678Z'),
    updatedAt: new Date('2026-02-02T03:04:05.000Z'),
    notes: [
      {
        id: 'n1',
        message: 'call after 6 pm \u2028',
        createdAt: new Date(1_767_000_000_123),
        createdBy: { id: 'u1', name: 'Staff' },
        removedAt: null,
      },
    ],
    avatarUrl: `http://gw/v1/pages/111/avatars/psid-${id}`,
    ...extra,
  } as unknown as CustomerView;
}

function page(nodes: CustomerView[], extra: Partial<CustomerPageView> = {}): CustomerPageView {
  return {
    total: 7,
    pageNumber: 1,
    pageSize: 2,
    hasNextPage: true,
    nodes,
    source: 'MIRROR',
    syncedAt: new Date('2026-11-26T00:00:00Z'),
    ...extra,
  };
}

describe('customerPageJson', () => {
  const cache = new CustomerJsonCache();
  const nodeJson = (c: CustomerView): string => cache.of(c);

  it('equals JSON.stringify of the page, frozen customers or not', () => {
    const views = [Object.freeze(customer('a')), customer('b', { gender: 'female' })];
    for (const shape of [
      page(views),
      page([]),
      page(views, { syncedAt: null, source: 'UPSTREAM' }),
      { ...page(views), extra: undefined },
    ])
      expect(customerPageJson(shape, nodeJson)).toBe(JSON.stringify(shape));
  });

  it('serializes anything else as JSON.stringify does', () => {
    for (const other of [{ message: 'x' }, [1, 2], null, 'text', { nodes: 'not a list' }])
      expect(customerPageJson(other, nodeJson)).toBe(JSON.stringify(other));
  });

  it('keeps the text of a frozen customer and serializes an unfrozen one each time', () => {
    const frozen = Object.freeze(customer('a'));
    const first = cache.of(frozen);
    expect(cache.of(frozen)).toBe(first);
    const open = customer('b');
    expect(cache.of(open)).toBe(JSON.stringify(open));
    open.name = 'Changed';
    expect(cache.of(open)).toContain('"name":"Changed"');
  });
});
