/**
 * A customer holds at most PHONE_NUMBERS_MAX_COUNT phone numbers through the gateway: adding
 * past it is refused by name before anything is written upstream, on both transports.
 */
import request from 'supertest';
import { PHONE_NUMBERS_MAX_COUNT } from '../src/pancake/policy/phone-number.js';
import type { Simulator } from '../tools/pancake-sim/index.js';
import { bearer, startStack } from './support/gateway.js';
import { GraphqlClient, onlyError, type CustomerJson } from './support/graphql-client.js';

const numbers = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => `+849012345${String(from + i).padStart(2, '0')}`);

describe('phone number cap (e2e)', () => {
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
    customers = (await client.list('111', { pageSize: 10 })).nodes;
  });
  afterAll(() => close?.());

  const writesUpstream = () => sim.requestLog().filter((entry) => entry.operation !== 'list');

  it('REST: refuses numbers that would take the list over the cap, writing nothing', async () => {
    const { id } = customers[1];
    sim.store.setPhoneNumbers('111', id, numbers(PHONE_NUMBERS_MAX_COUNT - 1));
    sim.clearLog();
    const response = await request(url)
      .post(`/v1/pages/111/customers/${id}/phone-numbers`)
      .set('Authorization', bearer())
      .send({ phoneNumbers: numbers(2, 50) });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({
      code: 'BAD_USER_INPUT',
      details: {
        violations: [
          {
            field: 'phoneNumbers',
            rule: 'must not take the customer over 20 phone numbers (it has 19; 2 new would make 21)',
          },
        ],
      },
    });
    expect(writesUpstream()).toEqual([]);
    expect(sim.store.getCustomer('111', id)!.phone_numbers).toHaveLength(19);
    // Up to the cap is fine.
    const toTheCap = await request(url)
      .post(`/v1/pages/111/customers/${id}/phone-numbers`)
      .set('Authorization', bearer())
      .send({ phoneNumbers: numbers(1, 50) });
    expect(toTheCap.status).toBe(200);
    expect(toTheCap.body.phoneNumbers).toHaveLength(20);
  });

  it('GraphQL: the same refusal, with BAD_USER_INPUT naming the field and the rule', async () => {
    const { id } = customers[2];
    sim.store.setPhoneNumbers('111', id, numbers(PHONE_NUMBERS_MAX_COUNT));
    sim.clearLog();
    const { body } = await client.gql(
      `mutation($id: ID!, $phones: [String!]!) { addCustomerPhoneNumbers(pageId: "111", id: $id, phoneNumbers: $phones) { id } }`,
      { id, phones: numbers(1, 60) },
    );
    expect(onlyError(body)).toMatchObject({
      extensions: {
        code: 'BAD_USER_INPUT',
        details: {
          violations: [
            {
              field: 'phoneNumbers',
              rule: 'must not take the customer over 20 phone numbers (it has 20; 1 new would make 21)',
            },
          ],
        },
      },
    });
    expect(writesUpstream()).toEqual([]);
  });

  it('updateCustomer: a list longer than the cap is refused before any upstream call', async () => {
    sim.clearLog();
    const { body } = await client.gql(
      `mutation($id: ID!, $phones: [String!]!) { updateCustomer(pageId: "111", id: $id, changes: { phoneNumbers: $phones }) { id } }`,
      { id: customers[3].id, phones: numbers(PHONE_NUMBERS_MAX_COUNT + 1) },
    );
    expect(onlyError(body).extensions.details?.violations).toEqual([
      { field: 'phoneNumbers', rule: 'must hold at most 20 phone numbers (got 21)' },
    ]);
    expect(sim.requestLog()).toEqual([]);
  });
});
