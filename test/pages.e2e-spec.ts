// How a client learns its pages: `pages` (GraphQL) and GET /v1/pages, within the key's allow-list.
import request from 'supertest';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { bearer, startGateway, TEST_KEYS, type TestGateway } from './support/gateway.js';

const PAGES_QUERY = '{ pages { pageId state customers } }';

describe('pages of a key (e2e)', () => {
  let sim: Simulator;
  let gateway: TestGateway;
  beforeAll(async () => {
    sim = await startSimulator({ customers: 3 });
    gateway = await startGateway(sim);
  });
  afterAll(async () => {
    await gateway.close();
    await sim.close();
  });

  const graphql = (key: string) =>
    request(gateway.url)
      .post('/graphql')
      .set('authorization', bearer(key))
      .send({ query: PAGES_QUERY });

  it('lists every configured page for a key without an allow-list, with its sync state', async () => {
    const response = await graphql(TEST_KEYS.admin).expect(200);
    expect(response.body.data.pages).toEqual([
      { pageId: '111', state: 'PAUSED', customers: 0 },
      { pageId: '222', state: 'PAUSED', customers: 0 },
      { pageId: '333', state: 'PAUSED', customers: 0 },
    ]);
    const rest = await request(gateway.url)
      .get('/v1/pages')
      .set('authorization', bearer(TEST_KEYS.admin))
      .expect(200);
    expect(rest.body.map((page: { pageId: string }) => page.pageId)).toEqual(['111', '222', '333']);
    expect(rest.body[0]).toMatchObject({ pageId: '111', state: 'PAUSED', customers: 0 });
  });

  it("lists only the key's allowed pages", async () => {
    const response = await graphql(TEST_KEYS.page222).expect(200);
    expect(response.body.data.pages.map((page: { pageId: string }) => page.pageId)).toEqual([
      '222',
    ]);
  });

  it('refuses a wrong key on both transports', async () => {
    const response = await graphql('not-a-key-of-this-gateway-000');
    expect(response.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    await request(gateway.url)
      .get('/v1/pages')
      .set('authorization', bearer('not-a-key-of-this-gateway-000'))
      .expect(401);
  });
});
