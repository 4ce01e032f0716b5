import { jest } from '@jest/globals';
import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import {
  ADMIN,
  CUSTOMER_ID,
  customerRecord,
  noteRecord,
  PAGE,
  servicesOverFakes,
} from '../../test/support/customer-service-fakes.js';

const NOW = Date.parse('2026-01-10T00:00:10.500Z');

describe('CustomersService', () => {
  let sut: ReturnType<typeof servicesOverFakes>['customers'];
  let mocks: ReturnType<typeof servicesOverFakes>['mocks'];

  beforeEach(() => {
    ({ customers: sut, mocks } = servicesOverFakes());
  });

  describe('listCustomers', () => {
    beforeEach(() => {
      jest.useFakeTimers({
        now: NOW,
        doNotFake: ['nextTick', 'queueMicrotask', 'setImmediate', 'setTimeout', 'clearTimeout'],
      });
    });
    afterEach(() => jest.useRealTimers());

    it('rounds a window ending now up to the TTL grid, and keys the cache by it', async () => {
      const customers = [customerRecord()];
      mocks.pancake.listCustomers.mockResolvedValueOnce({ total: 1, customers });
      const page = await sut.listCustomers(ADMIN, PAGE, {
        since: new Date('2026-01-09T00:00:00.250Z'),
        until: new Date(NOW),
        pageSize: 10,
      });
      const window = {
        since: new Date('2026-01-09T00:00:00Z'),
        until: new Date('2026-01-10T00:00:30Z'),
      };
      expect(mocks.pancake.listCustomers).toHaveBeenCalledWith(PAGE, {
        ...window,
        pageNumber: 1,
        pageSize: 10,
        orderBy: 'inserted_at',
      });
      expect(mocks.cache.read.mock.calls[0].slice(0, 2)).toEqual([
        PAGE,
        {
          op: 'list',
          since: window.since.getTime(),
          until: window.until.getTime(),
          pageNumber: 1,
          pageSize: 10,
          orderBy: 'inserted_at',
        },
      ]);
      expect(mocks.index.remember).toHaveBeenCalledWith(customers);
      expect(page).toEqual({
        total: 1,
        pageNumber: 1,
        pageSize: 10,
        hasNextPage: false,
        nodes: [{ ...customers[0], avatarUrl: `https://avatars.test/${PAGE}/5834792348923482` }],
        source: 'UPSTREAM',
        syncedAt: null,
      });
    });

    it('keeps an older until (whole seconds) and says when more pages follow', async () => {
      mocks.pancake.listCustomers.mockResolvedValueOnce({ total: 25, customers: [] });
      const page = await sut.listCustomers(ADMIN, PAGE, {
        since: new Date('2025-01-01T00:00:00Z'),
        until: new Date('2025-02-01T00:00:00.001Z'),
        pageNumber: 2,
        pageSize: 10,
        orderBy: 'updated_at',
      });
      expect(mocks.pancake.listCustomers.mock.calls[0][1]).toMatchObject({
        until: new Date('2025-02-01T00:00:01Z'),
        pageNumber: 2,
        orderBy: 'updated_at',
      });
      expect(page).toMatchObject({ total: 25, pageNumber: 2, hasNextPage: true });
    });

    it('refuses bad arguments and an unconfigured page before any read', async () => {
      const window = { since: new Date('2025-02-01T00:00:00Z'), until: new Date('2025-01-01Z') };
      await expect(sut.listCustomers(ADMIN, PAGE, window)).rejects.toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
      });
      const ok = { since: new Date('2025-01-01Z'), until: new Date('2025-02-01Z') };
      await expect(sut.listCustomers(ADMIN, '999', ok)).rejects.toMatchObject({
        code: ErrorCode.NOT_FOUND,
      });
      expect(mocks.cache.read).not.toHaveBeenCalled();
    });
  });

  describe('getCustomer', () => {
    it('answers null for an id the gateway never listed, asking nobody', async () => {
      expect(await sut.getCustomer(ADMIN, PAGE, CUSTOMER_ID)).toBeNull();
      expect(mocks.cache.read).not.toHaveBeenCalled();
      expect(mocks.pancake.findCustomer).not.toHaveBeenCalled();
    });

    it('answers the snapshot of a customer without inserted_at: it cannot be read by window', async () => {
      mocks.index.know(customerRecord({ insertedAt: null, name: 'Snapshot' }));
      expect(await sut.getCustomer(ADMIN, PAGE, CUSTOMER_ID)).toMatchObject({
        name: 'Snapshot',
        avatarUrl: expect.stringContaining('5834792348923482'),
      });
      expect(mocks.pancake.findCustomer).not.toHaveBeenCalled();
    });

    it('reads a known customer fresh through the cache, by its id and inserted_at', async () => {
      const known = customerRecord();
      mocks.index.know(known);
      mocks.pancake.findCustomer.mockResolvedValueOnce({ ...known, name: 'Fresh' });
      expect(await sut.getCustomer(ADMIN, PAGE, CUSTOMER_ID)).toMatchObject({ name: 'Fresh' });
      expect(mocks.cache.read.mock.calls[0].slice(0, 2)).toEqual([
        PAGE,
        { op: 'customer', id: CUSTOMER_ID },
      ]);
      expect(mocks.pancake.findCustomer).toHaveBeenCalledWith(PAGE, {
        id: CUSTOMER_ID,
        insertedAt: known.insertedAt,
      });
      expect(mocks.index.entries.get(`${PAGE}/${CUSTOMER_ID}`)?.snapshot.name).toBe('Fresh');
    });

    it('forgets a customer upstream no longer has, and answers null', async () => {
      mocks.index.know(customerRecord());
      expect(await sut.getCustomer(ADMIN, PAGE, CUSTOMER_ID)).toBeNull();
      expect(mocks.index.forget).toHaveBeenCalledWith(PAGE, CUSTOMER_ID);
    });
  });

  describe('updateCustomer', () => {
    const known = customerRecord();
    beforeEach(() => mocks.index.know(known));

    it('sends exactly the changes given, under the lock, then answers the fresh read', async () => {
      mocks.pancake.findCustomer.mockResolvedValueOnce({ ...known, name: 'Bea' });
      const answer = await sut.updateCustomer(ADMIN, PAGE, CUSTOMER_ID, { name: 'Bea' });
      expect(mocks.pancake.updateCustomer).toHaveBeenCalledWith(PAGE, CUSTOMER_ID, {
        name: 'Bea',
      });
      expect(mocks.writes.exclusive).toHaveBeenCalledWith(PAGE, CUSTOMER_ID, expect.anything());
      expect(mocks.writes.send.mock.calls[0][0]).toEqual({
        kind: 'update',
        pageId: PAGE,
        customerId: CUSTOMER_ID,
        changes: { name: 'Bea' },
        baselineUpdatedAt: known.updatedAt!.getTime(),
      });
      expect(mocks.cache.invalidatePage).toHaveBeenCalledWith(PAGE);
      expect(answer).toMatchObject({ name: 'Bea', avatarUrl: expect.any(String) });
      // No phone list was set: nothing to journal.
      expect(mocks.writes.acknowledge).not.toHaveBeenCalled();
    });

    it('journals a phone list it set as acknowledged', async () => {
      const phoneNumbers = ['+84912345678'];
      await sut.updateCustomer(ADMIN, PAGE, CUSTOMER_ID, { phoneNumbers });
      expect(mocks.writes.acknowledge).toHaveBeenCalledWith(PAGE, CUSTOMER_ID, {
        kind: 'phones-set',
        numbers: phoneNumbers,
        at: expect.any(Number),
      });
    });

    it('answers the read that showed the write landed, without reading again', async () => {
      const seen = { ...known, gender: 'female' as const };
      mocks.writes.send.mockResolvedValueOnce({ confirmed: false, seen });
      const answer = await sut.updateCustomer(ADMIN, PAGE, CUSTOMER_ID, { gender: 'female' });
      expect(answer.gender).toBe('female');
      expect(mocks.pancake.findCustomer).not.toHaveBeenCalled();
    });

    it('answers what the customer now holds when the read-back finds nothing', async () => {
      const answer = await sut.updateCustomer(ADMIN, PAGE, CUSTOMER_ID, {
        birthday: '1990-05-12',
      });
      expect(mocks.pancake.findCustomer).toHaveBeenCalledTimes(1);
      expect(answer).toMatchObject({ name: 'Ann', birthday: '1990-05-12' });
    });

    it('refuses a customer the gateway never listed, sending nothing', async () => {
      const other = '00000000-0000-4000-8000-000000000000';
      await expect(sut.updateCustomer(ADMIN, PAGE, other, { name: 'x' })).rejects.toMatchObject({
        code: ErrorCode.NOT_FOUND,
      });
      expect(mocks.writes.send).not.toHaveBeenCalled();
    });

    it('refuses a read-only key, sending nothing', async () => {
      const reader = { ...ADMIN, scope: 'read' as const };
      await expect(sut.updateCustomer(reader, PAGE, CUSTOMER_ID, { name: 'x' })).rejects.toThrow(
        GatewayError,
      );
      expect(mocks.writes.send).not.toHaveBeenCalled();
    });
  });

  describe('addPhoneNumbers', () => {
    const known = customerRecord({ phoneNumbers: ['+84901234567'] });
    beforeEach(() => mocks.index.know(known));

    it('reads fresh (never the cache), merges and writes the full list', async () => {
      mocks.pancake.findCustomer
        .mockResolvedValueOnce({ ...known, phoneNumbers: ['+84901234567', '+84987654321'] })
        .mockResolvedValueOnce(null);
      const answer = await sut.addPhoneNumbers(ADMIN, PAGE, CUSTOMER_ID, ['+84912345678']);
      const merged = ['+84901234567', '+84987654321', '+84912345678'];
      expect(mocks.cache.read).not.toHaveBeenCalled();
      expect(mocks.pancake.updateCustomer).toHaveBeenCalledWith(PAGE, CUSTOMER_ID, {
        phoneNumbers: merged,
      });
      expect(mocks.writes.send.mock.calls[0][0]).toMatchObject({
        kind: 'update',
        changes: { phoneNumbers: merged },
      });
      expect(mocks.writes.acknowledge).toHaveBeenCalledWith(PAGE, CUSTOMER_ID, {
        kind: 'phones-added',
        numbers: ['+84912345678'],
        at: expect.any(Number),
      });
      // Read-back found nothing: the merged list is what it now holds.
      expect(answer.phoneNumbers).toEqual(merged);
    });

    it('writes nothing when every number is already there, and still acknowledges them', async () => {
      mocks.pancake.findCustomer.mockResolvedValueOnce(known);
      const answer = await sut.addPhoneNumbers(ADMIN, PAGE, CUSTOMER_ID, ['+84901234567']);
      expect(mocks.writes.send).not.toHaveBeenCalled();
      expect(mocks.pancake.updateCustomer).not.toHaveBeenCalled();
      expect(mocks.writes.acknowledge).toHaveBeenCalledWith(PAGE, CUSTOMER_ID, {
        kind: 'phones-added',
        numbers: ['+84901234567'],
        at: expect.any(Number),
      });
      expect(answer.phoneNumbers).toEqual(['+84901234567']);
    });

    it('merges back acknowledged numbers a late write removed, and reports them', async () => {
      const current = { ...known, phoneNumbers: ['+84901234567'] };
      mocks.pancake.findCustomer.mockResolvedValueOnce(current);
      mocks.writes.phonesToRestore.mockResolvedValueOnce(['+84977777777']);
      await sut.addPhoneNumbers(ADMIN, PAGE, CUSTOMER_ID, ['+84912345678']);
      expect(mocks.writes.phonesToRestore).toHaveBeenCalledWith(current);
      expect(mocks.pancake.updateCustomer).toHaveBeenCalledWith(PAGE, CUSTOMER_ID, {
        phoneNumbers: ['+84901234567', '+84977777777', '+84912345678'],
      });
      expect(mocks.writes.noteRestored).toHaveBeenCalledWith(current, ['+84977777777']);
    });

    it('answers NOT_FOUND when upstream no longer has the customer', async () => {
      await expect(
        sut.addPhoneNumbers(ADMIN, PAGE, CUSTOMER_ID, ['+84912345678']),
      ).rejects.toMatchObject({ code: ErrorCode.NOT_FOUND });
      expect(mocks.writes.send).not.toHaveBeenCalled();
    });

    it('refuses numbers that would take the customer over 20, sending nothing', async () => {
      const full = Array.from({ length: 20 }, (_, i) => `+849012345${String(i).padStart(2, '0')}`);
      mocks.pancake.findCustomer.mockResolvedValueOnce({ ...known, phoneNumbers: full });
      await expect(
        sut.addPhoneNumbers(ADMIN, PAGE, CUSTOMER_ID, ['+84912345678']),
      ).rejects.toMatchObject({ code: ErrorCode.BAD_USER_INPUT });
      expect(mocks.writes.send).not.toHaveBeenCalled();
    });
  });

  it('gives every customer it answers its avatar URL', () => {
    const view = sut.view(customerRecord({ notes: [noteRecord()] }));
    expect(view.avatarUrl).toBe(`https://avatars.test/${PAGE}/5834792348923482`);
    expect(view.notes).toHaveLength(1);
  });
});
