/**
 * Customer by id while Redis is down: a replica answers from what it listed itself (200), and
 * only an id it never saw is 503 (never a false 404). Once with Redis down from the start, once
 * with Redis going away after the list (a TCP proxy in front of it is stopped).
 */
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { ALL_TIME, bearer, startGateway, type TestGateway } from './support/gateway.js';
import { GraphqlClient, type CustomerJson } from './support/graphql-client.js';
import {
  deletePrefix,
  describeWithRedis,
  testRedis,
  TEST_REDIS_URL,
  uniquePrefix,
  UNREACHABLE_REDIS_URL,
} from './support/redis.js';
import { redisProxy, type RedisProxy } from './support/redis-proxy.js';

const GATEWAY_ENV = {
  PANCAKE_RATE_LIMIT_PER_SECOND: '1000',
  PANCAKE_RATE_LIMIT_FALLBACK_PER_SECOND: '1000',
  REDIS_COMMAND_TIMEOUT_MS: '200',
};

async function listed(gateway: TestGateway): Promise<CustomerJson[]> {
  const response = await request(gateway.url)
    .get('/v1/pages/111/customers')
    .query({ ...ALL_TIME, pageSize: 10 })
    .set('Authorization', bearer())
    .expect(200);
  return (response.body as { nodes: CustomerJson[] }).nodes;
}

const byId = (gateway: TestGateway, id: string) =>
  request(gateway.url).get(`/v1/pages/111/customers/${id}`).set('Authorization', bearer());

const CUSTOMER_QUERY = `query ($id: ID!) { customer(pageId: "111", id: $id) { id psid name } }`;

/** What every replica must do with Redis down, having listed `customers` before. */
async function answersFromWhatItListed(gateway: TestGateway, customers: CustomerJson[]) {
  for (const customer of customers.slice(0, 3)) {
    const response = await byId(gateway, customer.id);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: customer.id, psid: customer.psid, pageId: '111' });
  }
  const { status, body } = await new GraphqlClient(gateway.url).gql(CUSTOMER_QUERY, {
    id: customers[3].id,
  });
  expect(status).toBe(200);
  expect(body.errors).toBeUndefined();
  expect(body.data?.customer).toEqual({
    id: customers[3].id,
    psid: customers[3].psid,
    name: customers[3].name,
  });
  // Never seen here, and the shared index cannot be asked: unknown is not "not found".
  const unknown = await byId(gateway, randomUUID());
  expect(unknown.status).toBe(503);
  expect(unknown.body.error.code).toBe('SERVICE_UNAVAILABLE');
}

describe('customer by id with Redis down from the start', () => {
  let sim: Simulator;
  let gateway: TestGateway;

  beforeAll(async () => {
    sim = await startSimulator({ customers: 40, rateLimitPerSecond: 1000 });
    gateway = await startGateway(sim, { ...GATEWAY_ENV, REDIS_URL: UNREACHABLE_REDIS_URL });
  });
  afterAll(async () => {
    await gateway.close();
    await sim.close();
  });

  it('answers 200 for customers this replica listed, 503 for others', async () => {
    const customers = await listed(gateway);
    expect(customers.length).toBe(10);
    await answersFromWhatItListed(gateway, customers);
  });
});

describeWithRedis('customer by id when Redis goes down after the list', () => {
  const prefix = uniquePrefix('by-id-redis-down');
  let sim: Simulator;
  let proxy: RedisProxy;
  let gateway: TestGateway;

  beforeAll(async () => {
    sim = await startSimulator({ customers: 40, rateLimitPerSecond: 1000 });
    proxy = await redisProxy(TEST_REDIS_URL);
    gateway = await startGateway(sim, {
      ...GATEWAY_ENV,
      REDIS_URL: proxy.url,
      REDIS_KEY_PREFIX: prefix,
    });
  });
  afterAll(async () => {
    await gateway.close();
    await proxy.stop();
    await sim.close();
    const admin = testRedis();
    await deletePrefix(admin, prefix);
    admin.disconnect();
  });

  it('answers 200 from the replica own copy, 503 only for ids it never saw', async () => {
    const customers = await listed(gateway);
    expect((await byId(gateway, customers[0].id)).status).toBe(200); // Redis up: the shared index
    await proxy.stop();
    await answersFromWhatItListed(gateway, customers);
  });
});
