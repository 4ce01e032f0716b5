/**
 * Customer ids are UUIDs, which compare case-insensitively: an upper-case id reaches the same
 * customer as the lower-case one upstream uses, for reads and writes, REST and GraphQL.
 */
import request from 'supertest';
import type { Simulator } from '../tools/pancake-sim/index.js';
import { bearer, startStack } from './support/gateway.js';
import { GraphqlClient, type CustomerJson, type NoteJson } from './support/graphql-client.js';

describe('upper-case customer ids (e2e)', () => {
  let close: () => Promise<void>;
  let sim: Simulator;
  let url: string;
  let client: GraphqlClient;
  let customers: CustomerJson[];

  beforeAll(async () => {
    const stack = await startStack(
      { customers: 20, rateLimitPerSecond: 1000 },
      { PANCAKE_RATE_LIMIT_PER_SECOND: '1000' },
    );
    ({ sim, close } = stack);
    url = stack.gateway.url;
    client = new GraphqlClient(url);
    // The gateway learns ids from lists: Pancake has no lookup by id.
    customers = (await client.list('111', { pageSize: 10 })).nodes;
  });
  afterAll(() => close?.());

  const rest = (method: 'get' | 'patch' | 'post' | 'delete', path: string, body?: object) => {
    const call = request(url)
      [method](`/v1/pages/111/customers/${path}`)
      .set('Authorization', bearer());
    return body ? call.send(body) : call;
  };

  it('REST: reads, updates, adds phone numbers and writes notes through an upper-case id', async () => {
    const { id } = customers[1];
    const upper = id.toUpperCase();
    expect(upper).not.toBe(id);

    const read = await rest('get', upper);
    expect(read.status).toBe(200);
    expect(read.body.id).toBe(id);

    expect((await rest('patch', upper, { name: 'Upper Case' })).status).toBe(200);
    expect(sim.store.getCustomer('111', id)!.name).toBe('Upper Case');

    const added = await rest('post', `${upper}/phone-numbers`, { phoneNumbers: ['0901234567'] });
    expect(added.status).toBe(200);
    expect(sim.store.getCustomer('111', id)!.phone_numbers).toContain('+84901234567');

    const created = await rest('post', `${upper}/notes`, { message: 'upper note' });
    expect(created.status).toBe(201);
    const noteId = (created.body as NoteJson).id;
    expect((await rest('patch', `${upper}/notes/${noteId}`, { message: 'edited' })).status).toBe(
      200,
    );
    expect((await rest('delete', `${upper}/notes/${noteId}`)).status).toBe(204);
    expect(sim.store.hasNote('111', id, noteId)).toBe(false);
  });

  it('GraphQL: reads, updates and writes notes through an upper-case id', async () => {
    const { id } = customers[2];
    const upper = id.toUpperCase();

    const read = await client.gql(`{ customer(pageId: "111", id: "${upper}") { id } }`);
    expect(read.body).toEqual({
      data: { customer: { id } },
      extensions: { dataSource: 'UPSTREAM' },
    });

    const update = await client.gql(
      `mutation { updateCustomer(pageId: "111", id: "${upper}", changes: { name: "Upper GQL" }) { id name } }`,
    );
    expect(update.body).toEqual({ data: { updateCustomer: { id, name: 'Upper GQL' } } });

    const add = await client.gql(
      `mutation { addCustomerPhoneNumbers(pageId: "111", id: "${upper}", phoneNumbers: ["0901234568"]) { id } }`,
    );
    expect(add.body).toEqual({ data: { addCustomerPhoneNumbers: { id } } });

    const created = await client.gql(
      `mutation { createNote(pageId: "111", customerId: "${upper}", message: "gql upper") { id } }`,
    );
    expect(created.body.errors).toBeUndefined();
    const noteId = (created.body.data!.createNote as { id: string }).id;
    const edited = await client.gql(
      `mutation { updateNote(pageId: "111", customerId: "${upper}", noteId: "${noteId}", message: "x") { message } }`,
    );
    expect(edited.body).toEqual({ data: { updateNote: { message: 'x' } } });
    const deleted = await client.gql(
      `mutation { deleteNote(pageId: "111", customerId: "${upper}", noteId: "${noteId}") }`,
    );
    expect(deleted.body).toEqual({ data: { deleteNote: true } });
    expect(sim.store.hasNote('111', id, noteId)).toBe(false);
  });

  it('still refuses an id that is not a UUID, echoing it as sent', async () => {
    const response = await rest('get', 'NOT-A-UUID');
    expect(response.status).toBe(400);
    expect(response.body.error.details.violations).toEqual([
      { field: 'id', rule: 'must be a UUID', value: 'NOT-A-UUID' },
    ]);
  });
});
