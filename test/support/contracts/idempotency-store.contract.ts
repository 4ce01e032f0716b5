// What every IdempotencyStore promises, run against each backend (src/customers/stores and test/redis).
import { ErrorCode } from '../../../src/common/errors/error-code.js';
import { GatewayError } from '../../../src/common/errors/gateway-error.js';
import type { IdempotencyStore } from '../../../src/customers/stores/idempotency-store.js';
import { fingerprintOf } from '../../../src/common/fingerprint.js';
import type { NoteRecord } from '../../../src/pancake/pancake.model.js';

export const SCOPE = 'createNote:crm:111';

export function note(overrides: Partial<NoteRecord> = {}): NoteRecord {
  return {
    id: 'note-9',
    message: 'hello',
    createdAt: new Date('2024-05-02T09:30:00.123Z'),
    updatedAt: null,
    removedAt: null,
    createdBy: { uid: 'u1', name: null },
    images: [],
    links: ['https://example.com'],
    ...overrides,
  };
}

let counter = 0;
/** A fresh key per test, so the shared Redis backend never sees one twice. */
export function freshKey(): string {
  counter += 1;
  return `key-${Date.now().toString(36)}-${counter}`;
}

/** The behaviour both backends share. */
export function behavesLikeAnIdempotencyStore(make: () => IdempotencyStore<NoteRecord>): void {
  const fp = fingerprintOf({ customerId: 'c1', message: 'hello' });
  const otherFp = fingerprintOf({ customerId: 'c1', message: 'bye' });

  it('goes started -> in-progress -> replay (with Dates) for one key and fingerprint', async () => {
    const store = make();
    const key = freshKey();
    expect(await store.begin(SCOPE, key, fp)).toEqual({ state: 'started' });
    expect(await store.begin(SCOPE, key, fp)).toEqual({ state: 'in-progress' });
    await store.complete(SCOPE, key, fp, note());
    const replay = await store.begin(SCOPE, key, fp);
    expect(replay).toEqual({ state: 'replay', result: note() });
    expect(replay.state === 'replay' && replay.result.createdAt).toBeInstanceOf(Date);
    expect(replay.state === 'replay' && replay.result.createdAt.toISOString()).toBe(
      '2024-05-02T09:30:00.123Z',
    );
  });

  it('answers mismatch for another fingerprint, while running and after completion', async () => {
    const store = make();
    const key = freshKey();
    await store.begin(SCOPE, key, fp);
    expect(await store.begin(SCOPE, key, otherFp)).toEqual({ state: 'mismatch' });
    await store.complete(SCOPE, key, fp, note());
    expect(await store.begin(SCOPE, key, otherFp)).toEqual({ state: 'mismatch' });
    // The rightful owner still replays; a mismatched complete changes nothing.
    await store.complete(SCOPE, key, otherFp, note({ message: 'bye' }));
    expect(await store.begin(SCOPE, key, fp)).toMatchObject({
      state: 'replay',
      result: { message: 'hello' },
    });
  });

  it('keeps scopes apart', async () => {
    const store = make();
    const key = freshKey();
    expect(await store.begin(SCOPE, key, fp)).toEqual({ state: 'started' });
    expect(await store.begin('createNote:crm:222', key, otherFp)).toEqual({ state: 'started' });
  });

  it('lets the client retry with the same key after abandon', async () => {
    const store = make();
    const key = freshKey();
    await store.begin(SCOPE, key, fp);
    await store.abandon(SCOPE, key, otherFp); // not the owner: ignored
    expect(await store.begin(SCOPE, key, fp)).toEqual({ state: 'in-progress' });
    await store.abandon(SCOPE, key, fp);
    expect(await store.begin(SCOPE, key, fp)).toEqual({ state: 'started' });
    await store.complete(SCOPE, key, fp, note());
    await store.abandon(SCOPE, key, fp); // a stored result survives a late abandon
    expect(await store.begin(SCOPE, key, fp)).toMatchObject({ state: 'replay' });
  });

  it.each([
    ['', 'must not be empty'],
    ['k'.repeat(256), 'must be at most 255 characters'],
    ['bad\nkey', 'must not contain control characters'],
    ['bad\u0000key', 'must not contain control characters'],
    ['bad\u0085key', 'must not contain control characters'],
  ])('refuses the key %j in every method', async (key, rule) => {
    const store = make();
    for (const call of [
      () => store.begin(SCOPE, key, fp),
      () => store.complete(SCOPE, key, fp, note()),
      () => store.abandon(SCOPE, key, fp),
    ]) {
      const error = await call().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayError);
      expect(error).toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        details: { violations: [{ field: 'idempotencyKey', rule }] },
      });
    }
  });

  it('accepts a 255-character key with any printable characters', async () => {
    const store = make();
    const key = `${freshKey()}:é/ 🙂`.padEnd(255, 'x');
    expect(await store.begin(SCOPE, key, fp)).toEqual({ state: 'started' });
  });
}
