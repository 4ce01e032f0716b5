import { startSimulator } from './index.js';
import type { Simulator } from './types.js';
import type { RawCustomer } from './raw-shapes.js';
import { api, list, manualClock, seconds } from './spec-helpers.js';

const NOW = Date.UTC(2026, 10, 3, 9, 15, 0, 123);
const clock = manualClock(NOW);
let sim: Simulator;
let plain: RawCustomer;
let withNotes: RawCustomer;

beforeAll(async () => {
  sim = await startSimulator({
    customers: 60,
    seed: 5,
    rateLimitPerSecond: Infinity,
    now: clock.now,
  });
  const all = sim.store.listCustomers('111');
  plain = all.find((c) => c.notes.length === 0)!;
  withNotes = all.find((c) => c.notes.length > 0)!;
});
afterAll(() => sim.close());
beforeEach(() => clock.set(NOW));

const notes = (id: string, method: string, body?: unknown) =>
  api(sim, method, `page_customers/${id}/notes`, { body });
const listed = async (id: string): Promise<RawCustomer> =>
  (await list(sim, { page_size: 100 })).body.customers.find((c: RawCustomer) => c.id === id);

describe('POST notes', () => {
  it('appends a note and answers only { success: true }: no id comes back', async () => {
    const before = sim.store.notesOf('111', plain.id).length;
    const { status, body } = await notes(plain.id, 'POST', { message: 'Khách hẹn giao chiều mai' });
    expect(status).toBe(200);
    expect(body).toEqual({ success: true });
    const after = sim.store.notesOf('111', plain.id);
    expect(after).toHaveLength(before + 1);
    const created = after[after.length - 1]!;
    expect(created).toMatchObject({
      message: 'Khách hẹn giao chiều mai',
      created_at: NOW,
      updated_at: null,
      removed_at: null,
      edit_history: [],
      images: [],
      links: [],
      order_id: null,
    });
    expect(created.id).toMatch(/^[0-9a-f]{24}$/);
    // The note is found only by reading the customer again, and its updated_at moved.
    const customer = await listed(plain.id);
    expect(customer.notes.map((n) => n.id)).toContain(created.id);
    expect(seconds(customer.updated_at)).toBe(Math.floor(NOW / 1000));
  });

  it('is not idempotent: the same POST twice makes two notes with distinct ids', async () => {
    const before = sim.store.notesOf('111', plain.id).length;
    await notes(plain.id, 'POST', { message: 'twice' });
    await notes(plain.id, 'POST', { message: 'twice' });
    const twice = sim.store.notesOf('111', plain.id).filter((n) => n.message === 'twice');
    expect(sim.store.notesOf('111', plain.id)).toHaveLength(before + 2);
    expect(new Set(twice.map((n) => n.id)).size).toBe(2);
  });

  it.each([
    ['no body', undefined],
    ['empty message', { message: '' }],
    ['blank message', { message: '   ' }],
    ['message a number', { message: 5 }],
  ])('%s: 400', async (_, body) => {
    const { status, body: reply } = await notes(plain.id, 'POST', body);
    expect(status).toBe(400);
    expect(reply).toEqual({ success: false, message: expect.any(String), error_code: 400 });
  });
});

describe('PUT notes', () => {
  it('sets the message and updated_at (ms), keeps the old message in edit_history', async () => {
    const note = sim.store.notesOf('111', withNotes.id)[0]!;
    clock.advance(1500);
    const { status, body } = await notes(withNotes.id, 'PUT', {
      note_id: note.id,
      message: 'Đã sửa',
    });
    expect(status).toBe(200);
    expect(body).toEqual({ success: true });
    const edited = sim.store.notesOf('111', withNotes.id).find((n) => n.id === note.id)!;
    expect(edited.message).toBe('Đã sửa');
    expect(edited.updated_at).toBe(NOW + 1500);
    expect(edited.created_at).toBe(note.created_at);
    expect(edited.edit_history.at(-1)).toEqual({
      message: note.message,
      updated_at: note.updated_at ?? note.created_at,
    });
    expect(seconds(sim.store.getCustomer('111', withNotes.id)!.updated_at)).toBe(
      Math.floor((NOW + 1500) / 1000),
    );
  });

  it.each([
    ['an unknown note_id', { note_id: 'ffffffffffffffffffffffff', message: 'x' }],
    ['no note_id', { message: 'x' }],
    ['a numeric note_id', { note_id: 12, message: 'x' }],
  ])('answers 400 Invalid note_id for %s', async (_, body) => {
    const { status, body: reply } = await notes(withNotes.id, 'PUT', body);
    expect(status).toBe(400);
    expect(reply).toEqual({ success: false, message: 'Invalid note_id', error_code: 400 });
  });

  it('answers 400 for an empty message on a real note', async () => {
    const note = sim.store.notesOf('111', withNotes.id)[0]!;
    expect((await notes(withNotes.id, 'PUT', { note_id: note.id, message: '' })).status).toBe(400);
  });
});

describe('DELETE notes', () => {
  it('soft-removes the note: still listed, with removed_at set; a second delete or an edit is 400', async () => {
    await notes(plain.id, 'POST', { message: 'to delete' });
    const note = sim.store.notesOf('111', plain.id).find((n) => n.message === 'to delete')!;
    clock.advance(2000);
    const { status, body } = await notes(plain.id, 'DELETE', { note_id: note.id });
    expect(status).toBe(200);
    expect(body).toEqual({ success: true });
    // As Pancake: removed notes come nested in list results, in place, with removed_at (ms).
    const listedNote = (await listed(plain.id)).notes.find((n) => n.id === note.id)!;
    expect(listedNote).toEqual({ ...note, removed_at: NOW + 2000 });
    expect(sim.store.notesOf('111', plain.id).map((n) => n.id)).not.toContain(note.id);
    const removed = sim.store
      .notesOf('111', plain.id, { includeRemoved: true })
      .find((n) => n.id === note.id)!;
    expect(removed.removed_at).toBe(NOW + 2000);
    expect(sim.store.hasNote('111', plain.id, note.id)).toBe(false);
    expect((await notes(plain.id, 'DELETE', { note_id: note.id })).body).toEqual({
      success: false,
      message: 'Invalid note_id',
      error_code: 400,
    });
    expect((await notes(plain.id, 'PUT', { note_id: note.id, message: 'back?' })).status).toBe(400);
  });

  it('answers 400 for an unknown note_id', async () => {
    expect((await notes(plain.id, 'DELETE', { note_id: 'nope' })).status).toBe(400);
  });
});

describe('notes of an unknown customer', () => {
  it.each([
    ['POST', { message: 'x' }],
    ['PUT', { note_id: 'ffffffffffffffffffffffff', message: 'x' }],
    ['DELETE', { note_id: 'ffffffffffffffffffffffff' }],
  ])('%s answers 404 Customer not found', async (method, body) => {
    const { status, body: reply } = await notes(
      '00000000-0000-4000-8000-000000000000',
      method,
      body,
    );
    expect(status).toBe(404);
    expect(reply).toEqual({ success: false, message: 'Customer not found', error_code: 404 });
  });
});
