import { startSimulator } from './index.js';
import type { Simulator } from './types.js';
import { api, list } from './spec-helpers.js';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ customers: 20 });
});
afterAll(() => sim.close());
beforeEach(() => sim.clearLog());

const INVALID_TOKEN = { success: false, message: 'Invalid access token', error_code: 105 };

describe('page token', () => {
  it.each([
    ['no token', { token: null }],
    ['a wrong token', { token: 'sim-token-nope' }],
    ["another page's token", { token: 'sim-token-222' }],
    ['an unknown page', { pageId: '999', token: 'sim-token-999' }],
  ])('%s: 401 with error_code 105', async (_, options) => {
    const { status, body } = await list(sim, {}, options);
    expect(status).toBe(401);
    expect(body).toEqual(INVALID_TOKEN);
  });

  it('checks the token on mutations too, before the customer lookup', async () => {
    const id = sim.store.listCustomers('111')[0]!.id;
    const { status } = await api(sim, 'PUT', `page_customers/${id}`, {
      token: 'bad',
      body: { changes: { name: 'x' } },
    });
    expect(status).toBe(401);
    expect(sim.store.getCustomer('111', id)!.name).not.toBe('x');
  });

  it('logs rejected requests, not counted, and never the token', async () => {
    await list(sim, {}, { token: 'secret-value' });
    await list(sim);
    const log = sim.requestLog('111');
    expect(log.map((e) => [e.status, e.errorCode, e.counted])).toEqual([
      [401, 105, false],
      [200, undefined, true],
    ]);
    expect(log[0]).toMatchObject({
      method: 'GET',
      path: '/api/public_api/v1/pages/111/page_customers',
      operation: 'list',
    });
    expect(JSON.stringify(log)).not.toMatch(/sim-token|secret-value|page_access_token/);
  });
});

describe('avatar', () => {
  it('redirects 301 to a deterministic CDN URL without a token, logged but not counted', async () => {
    const response = await fetch(`${sim.avatarBaseUrl}/pages/111/avatar/1234567890123456`, {
      redirect: 'manual',
    });
    expect(response.status).toBe(301);
    expect(response.headers.get('location')).toBe(
      'https://content.pancake.vn/avatars/111/1234567890123456.jpg',
    );
    expect(sim.requestLog()).toEqual([
      expect.objectContaining({ pageId: '111', operation: 'avatar', status: 301, counted: false }),
    ]);
  });

  it('does not count toward the rate limit', async () => {
    const limited = await startSimulator({ customers: 5, rateLimitPerSecond: 2 });
    try {
      for (let i = 0; i < 6; i++)
        expect(
          (await fetch(`${limited.avatarBaseUrl}/pages/111/avatar/99${i}`, { redirect: 'manual' }))
            .status,
        ).toBe(301);
      expect((await list(limited)).status).toBe(200);
      expect((await list(limited)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});

describe('routing', () => {
  it.each([
    ['GET', 'page_customers/abc/notes'],
    ['DELETE', 'page_customers'],
    ['GET', 'page_customers/abc'],
    ['GET', 'conversations'],
  ])('%s %s: 404 JSON, logged as unknown', async (method, path) => {
    const { status, body } = await api(sim, method, path);
    expect(status).toBe(404);
    expect(body).toEqual({ success: false, message: 'Not found', error_code: 404 });
    expect(sim.requestLog().at(-1)).toMatchObject({
      operation: 'unknown',
      status: 404,
      counted: false,
    });
  });

  it('answers 404 JSON outside every prefix', async () => {
    const response = await fetch(`${sim.url.replace('/api/public_api/v1', '')}/nothing`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ success: false });
  });

  it('answers 400 for a malformed JSON body', async () => {
    const id = sim.store.listCustomers('111')[0]!.id;
    const { status, body } = await api(sim, 'POST', `page_customers/${id}/notes`, {
      body: '{nope',
    });
    expect(status).toBe(400);
    expect(body).toEqual({ success: false, message: 'Invalid JSON body', error_code: 400 });
  });

  it('exposes the URL layout', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/public_api\/v1$/);
    expect(sim.avatarBaseUrl).toBe(sim.url.replace('/public_api/v1', '/v1'));
    expect(sim.controlUrl).toBe(sim.url.replace('/api/public_api/v1', '/__sim'));
    expect(sim.pages).toEqual([
      { pageId: '111', token: 'sim-token-111' },
      { pageId: '222', token: 'sim-token-222' },
      { pageId: '333', token: 'sim-token-333' },
    ]);
    expect(sim.pageTokensEnv).toBe('111=sim-token-111,222=sim-token-222,333=sim-token-333');
  });
});
