/**
 * GraphQL mutations end to end: each write is checked in the simulator's store, and refused
 * input is checked to have sent nothing upstream.
 */
import { randomUUID } from 'node:crypto';
import type { Simulator } from '../tools/pancake-sim/index.js';
import { startStack } from './support/gateway.js';
import {
  GraphqlClient,
  ISO_UTC,
  onlyError,
  upstreamCallsOf,
  type CustomerJson,
  type GqlBody,
  type NoteJson,
} from './support/graphql-client.js';

const UPDATE = `mutation Update($pageId: ID!, $id: ID!, $changes: CustomerChangesInput!) {
  updateCustomer(pageId: $pageId, id: $id, changes: $changes) { id name gender birthday phoneNumbers }
}`;
const ADD_PHONES = `mutation Add($id: ID!, $phoneNumbers: [String!]!) {
  addCustomerPhoneNumbers(pageId: "111", id: $id, phoneNumbers: $phoneNumbers) { phoneNumbers }
}`;
const CREATE_NOTE = `mutation Create($customerId: ID!, $message: String!, $key: String) {
  createNote(pageId: "111", customerId: $customerId, message: $message, idempotencyKey: $key) {
    id message createdAt updatedAt createdBy { uid }
  }
}`;
const UPDATE_NOTE = `mutation Edit($customerId: ID!, $noteId: ID!, $message: String!) {
  updateNote(pageId: "111", customerId: $customerId, noteId: $noteId, message: $message) { id message updatedAt }
}`;
const DELETE_NOTE = `mutation Delete($customerId: ID!, $noteId: ID!) {
  deleteNote(pageId: "111", customerId: $customerId, noteId: $noteId)
}`;

describe('GraphQL writes (e2e)', () => {
  let close: () => Promise<void>;
  let sim: Simulator;
  let client: GraphqlClient;
  let customer: CustomerJson;

  beforeAll(async () => {
    const stack = await startStack({ customers: 20 });
    ({ sim, close } = stack);
    client = new GraphqlClient(stack.gateway.url);
    // The gateway learns ids from lists: Pancake has no lookup by id.
    customer = (await client.list('111', { pageSize: 5 })).nodes[1];
  });
  afterAll(() => close?.());

  it('updates name, gender, birthday and phone numbers (normalized to E.164)', async () => {
    const changes = {
      name: '  Trần Thị Test ',
      gender: 'FEMALE',
      birthday: '1990-02-03',
      phoneNumbers: ['090 123-4567'],
    };
    const { body } = await client.gql(UPDATE, { pageId: '111', id: customer.id, changes });
    expect(body.errors).toBeUndefined();
    expect(body.data!.updateCustomer).toEqual({
      id: customer.id,
      name: 'Trần Thị Test',
      gender: 'FEMALE',
      birthday: '1990-02-03',
      phoneNumbers: ['+84901234567'],
    });
    expect(sim.store.getCustomer('111', customer.id)).toMatchObject({
      name: 'Trần Thị Test',
      gender: 'female',
      birthday: '1990-02-03',
      phone_numbers: ['+84901234567'],
    });
  });

  it.each([
    ['a future birthday', '2999-01-01', 'must not be in the future'],
    ['a date that does not exist', '1990-02-30', 'must be a real calendar date'],
  ])(
    'refuses %s with BAD_USER_INPUT naming the field, before any upstream call',
    async (_case, birthday, rule) => {
      let body: GqlBody | undefined;
      const calls = await upstreamCallsOf(sim, async () => {
        const variables = { pageId: '111', id: customer.id, changes: { birthday } };
        body = (await client.gql(UPDATE, variables)).body;
      });
      expect(calls).toBe(0);
      const error = onlyError(body!);
      expect(error.extensions.code).toBe('BAD_USER_INPUT');
      expect(error.message).toBe(`birthday: ${rule}`);
      expect(error.extensions.details?.violations).toEqual([
        expect.objectContaining({ field: 'birthday', rule }),
      ]);
    },
  );

  it('merges added phone numbers into the current list', async () => {
    const phoneNumbers = ['0912 345 678', '+84 90 123 4567'];
    const { body } = await client.gql(ADD_PHONES, { id: customer.id, phoneNumbers });
    expect(body.errors).toBeUndefined();
    const merged = ['+84901234567', '+84912345678'];
    expect(body.data!.addCustomerPhoneNumbers).toEqual({ phoneNumbers: merged });
    expect(sim.store.getCustomer('111', customer.id)!.phone_numbers).toEqual(merged);
  });

  it('creates, edits and deletes a note', async () => {
    const message = 'Gọi lại sau 5 giờ';
    const created = await client.gql(CREATE_NOTE, { customerId: customer.id, message });
    expect(created.body.errors).toBeUndefined();
    const note = created.body.data!.createNote as NoteJson;
    expect(note).toMatchObject({ id: expect.any(String), message, updatedAt: null });
    expect(note.createdAt).toMatch(ISO_UTC);
    expect(sim.store.hasNote('111', customer.id, note.id)).toBe(true);

    const ids = { customerId: customer.id, noteId: note.id };
    const edited = await client.gql(UPDATE_NOTE, { ...ids, message: 'Đã gọi' });
    expect(edited.body.errors).toBeUndefined();
    expect(edited.body.data!.updateNote).toEqual({
      id: note.id,
      message: 'Đã gọi',
      updatedAt: expect.stringMatching(ISO_UTC),
    });

    const deleted = await client.gql(DELETE_NOTE, ids);
    expect(deleted.body).toEqual({ data: { deleteNote: true } });
    expect(sim.store.hasNote('111', customer.id, note.id)).toBe(false);
  });

  it('replays createNote for the same idempotencyKey: one note upstream, the same id', async () => {
    const message = 'Khách hẹn thứ Hai';
    const variables = { customerId: customer.id, message, key: `key-${randomUUID()}` };
    const first = await client.gql(CREATE_NOTE, variables);
    const second = await client.gql(CREATE_NOTE, variables);
    expect(first.body.errors).toBeUndefined();
    expect(second.body.data).toEqual(first.body.data);
    const stored = sim.store.notesOf('111', customer.id).filter((n) => n.message === message);
    expect(stored.map((n) => n.id)).toEqual([(first.body.data!.createNote as NoteJson).id]);
  });

  it('answers NOT_FOUND for an unknown note id', async () => {
    const ids = { customerId: customer.id, noteId: 'no-such-note' };
    const edited = await client.gql(UPDATE_NOTE, { ...ids, message: 'x' });
    expect(onlyError(edited.body).extensions.code).toBe('NOT_FOUND');
  });
});
