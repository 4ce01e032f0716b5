import { ErrorCode } from '../common/errors/error-code.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import type { NoteRecord } from '../pancake/pancake.model.js';
import {
  ADMIN,
  CUSTOMER_ID,
  customerRecord,
  noteRecord,
  PAGE,
  servicesOverFakes,
} from '../../test/support/customer-service-fakes.js';

const MESSAGE = 'call back at 5';
const KEY = 'key-1';
const SCOPE = 'createNote:admin';

describe('NotesService', () => {
  let sut: ReturnType<typeof servicesOverFakes>['notes'];
  let mocks: ReturnType<typeof servicesOverFakes>['mocks'];
  const before = customerRecord({ notes: [noteRecord({ id: 'old', message: MESSAGE })] });
  const created = noteRecord({ id: 'new', message: MESSAGE });
  const after = { ...before, notes: [...before.notes, created] };

  beforeEach(() => {
    ({ notes: sut, mocks } = servicesOverFakes());
    mocks.index.know(before);
  });

  /** Upstream as a create sees it: the customer before the POST, then after. */
  const upstreamCreates = () =>
    mocks.pancake.findCustomer.mockResolvedValueOnce(before).mockResolvedValueOnce(after);

  describe('createNote', () => {
    it('posts under the lock and finds the new note by diffing the reads before and after', async () => {
      upstreamCreates();
      expect(await sut.createNote(ADMIN, PAGE, CUSTOMER_ID, MESSAGE)).toBe(created);
      expect(mocks.pancake.postNote).toHaveBeenCalledWith(PAGE, CUSTOMER_ID, MESSAGE);
      expect(mocks.writes.send.mock.calls[0][0]).toEqual({
        kind: 'note_create',
        pageId: PAGE,
        customerId: CUSTOMER_ID,
        message: MESSAGE,
        knownNoteIds: ['old'],
        baselineUpdatedAt: before.updatedAt!.getTime(),
      });
      expect(mocks.writes.acknowledge).toHaveBeenCalledWith(PAGE, CUSTOMER_ID, {
        kind: 'note',
        noteId: 'new',
        message: MESSAGE,
        at: expect.any(Number),
      });
      expect(mocks.cache.invalidatePage).toHaveBeenCalledWith(PAGE);
      expect(mocks.idempotency.begin).not.toHaveBeenCalled();
    });

    it('answers UPSTREAM_ERROR when the accepted note cannot be read back', async () => {
      mocks.pancake.findCustomer.mockResolvedValueOnce(before).mockResolvedValueOnce(before);
      await expect(sut.createNote(ADMIN, PAGE, CUSTOMER_ID, MESSAGE)).rejects.toMatchObject({
        code: ErrorCode.UPSTREAM_ERROR,
      });
    });

    describe('with an idempotency key', () => {
      it('completes the key with the note it created', async () => {
        upstreamCreates();
        await sut.createNote(ADMIN, PAGE, CUSTOMER_ID, MESSAGE, KEY);
        const [scope, key, fingerprint] = mocks.idempotency.begin.mock.calls[0];
        expect([scope, key]).toEqual([SCOPE, KEY]);
        expect(mocks.idempotency.complete).toHaveBeenCalledWith(SCOPE, KEY, fingerprint, created);
        expect(mocks.idempotency.abandon).not.toHaveBeenCalled();
      });

      it('fingerprints the page, the customer and the message', async () => {
        upstreamCreates();
        await sut.createNote(ADMIN, PAGE, CUSTOMER_ID, MESSAGE, KEY);
        mocks.idempotency.begin.mockResolvedValueOnce({ state: 'replay', result: created });
        await sut.createNote(ADMIN, PAGE, CUSTOMER_ID, 'another message', KEY);
        const [first, second] = mocks.idempotency.begin.mock.calls.map((call) => call[2]);
        expect(second).not.toBe(first);
      });

      it('replays the first result without sending', async () => {
        const first: NoteRecord = noteRecord({ id: 'first' });
        mocks.idempotency.begin.mockResolvedValueOnce({ state: 'replay', result: first });
        expect(await sut.createNote(ADMIN, PAGE, CUSTOMER_ID, MESSAGE, KEY)).toBe(first);
        expect(mocks.writes.send).not.toHaveBeenCalled();
      });

      it.each([
        ['in-progress', ErrorCode.CONFLICT],
        ['mismatch', ErrorCode.IDEMPOTENCY_KEY_REUSED],
      ] as const)('answers %s with %s, sending nothing', async (state, code) => {
        mocks.idempotency.begin.mockResolvedValueOnce({ state });
        await expect(sut.createNote(ADMIN, PAGE, CUSTOMER_ID, MESSAGE, KEY)).rejects.toMatchObject({
          code,
        });
        expect(mocks.writes.send).not.toHaveBeenCalled();
        expect(mocks.idempotency.abandon).not.toHaveBeenCalled();
      });

      it('frees the key when the create failed', async () => {
        mocks.pancake.findCustomer.mockResolvedValueOnce(before);
        mocks.pancake.postNote.mockRejectedValueOnce(GatewayError.upstream('Pancake failed'));
        await expect(sut.createNote(ADMIN, PAGE, CUSTOMER_ID, MESSAGE, KEY)).rejects.toMatchObject({
          code: ErrorCode.UPSTREAM_ERROR,
        });
        const fingerprint = mocks.idempotency.begin.mock.calls[0][2];
        expect(mocks.idempotency.abandon).toHaveBeenCalledWith(SCOPE, KEY, fingerprint);
        expect(mocks.idempotency.complete).not.toHaveBeenCalled();
      });

      it('keeps the key while the outcome is unknown, and settles it once the write is decided', async () => {
        mocks.pancake.findCustomer.mockResolvedValueOnce(before);
        const unknown = GatewayError.upstream('Pancake did not answer in time', {
          details: { outcome: 'unknown' },
        });
        mocks.writes.send.mockRejectedValueOnce(unknown);
        await expect(sut.createNote(ADMIN, PAGE, CUSTOMER_ID, MESSAGE, KEY)).rejects.toBe(unknown);
        expect(mocks.idempotency.abandon).not.toHaveBeenCalled();
        expect(mocks.idempotency.complete).not.toHaveBeenCalled();

        // What GuardedWrites tells later, in the background.
        const settled = mocks.writes.send.mock.calls[0][3]!;
        const fingerprint = mocks.idempotency.begin.mock.calls[0][2];
        await settled({ landed: true, note: created }, after);
        expect(mocks.idempotency.complete).toHaveBeenCalledWith(SCOPE, KEY, fingerprint, created);
        expect(mocks.writes.acknowledge).toHaveBeenCalledWith(
          PAGE,
          CUSTOMER_ID,
          expect.objectContaining({ kind: 'note', noteId: 'new' }),
        );
        await settled({ landed: false }, before);
        expect(mocks.idempotency.abandon).toHaveBeenCalledWith(SCOPE, KEY, fingerprint);
      });
    });
  });

  describe('updateNote', () => {
    it('sends the message, then answers the note as read back', async () => {
      const edited = noteRecord({ id: 'old', message: 'done', updatedAt: new Date() });
      mocks.pancake.findCustomer.mockResolvedValueOnce({ ...before, notes: [edited] });
      expect(await sut.updateNote(ADMIN, PAGE, CUSTOMER_ID, 'old', 'done')).toBe(edited);
      expect(mocks.pancake.updateNote).toHaveBeenCalledWith(PAGE, CUSTOMER_ID, 'old', 'done');
      expect(mocks.writes.send.mock.calls[0][0]).toEqual({
        kind: 'note_update',
        pageId: PAGE,
        customerId: CUSTOMER_ID,
        noteId: 'old',
        message: 'done',
        baselineUpdatedAt: before.notes[0].createdAt.getTime(),
      });
      expect(mocks.cache.invalidatePage).toHaveBeenCalledWith(PAGE);
    });

    it('answers NOT_FOUND when the read-back has no such note', async () => {
      mocks.pancake.findCustomer.mockResolvedValueOnce(before);
      await expect(sut.updateNote(ADMIN, PAGE, CUSTOMER_ID, 'gone', 'done')).rejects.toMatchObject({
        code: ErrorCode.NOT_FOUND,
      });
    });

    it('refuses a note id that cannot be one, sending nothing', async () => {
      await expect(sut.updateNote(ADMIN, PAGE, CUSTOMER_ID, '../x', 'done')).rejects.toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        details: { violations: [expect.objectContaining({ field: 'noteId' })] },
      });
      expect(mocks.writes.send).not.toHaveBeenCalled();
    });
  });

  describe('deleteNote', () => {
    it('sends the delete under the lock and invalidates the page', async () => {
      expect(await sut.deleteNote(ADMIN, PAGE, CUSTOMER_ID, 'old')).toBe(true);
      expect(mocks.pancake.deleteNote).toHaveBeenCalledWith(PAGE, CUSTOMER_ID, 'old');
      expect(mocks.writes.send.mock.calls[0][0]).toEqual({
        kind: 'note_delete',
        pageId: PAGE,
        customerId: CUSTOMER_ID,
        noteId: 'old',
        baselineUpdatedAt: null,
      });
      expect(mocks.writes.exclusive).toHaveBeenCalledWith(PAGE, CUSTOMER_ID, expect.anything());
      expect(mocks.cache.invalidatePage).toHaveBeenCalledWith(PAGE);
    });

    it('refuses a customer the gateway never listed', async () => {
      const other = '00000000-0000-4000-8000-000000000000';
      await expect(sut.deleteNote(ADMIN, PAGE, other, 'old')).rejects.toMatchObject({
        code: ErrorCode.NOT_FOUND,
      });
      expect(mocks.writes.send).not.toHaveBeenCalled();
    });
  });
});
