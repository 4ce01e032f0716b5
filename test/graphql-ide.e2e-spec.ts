// The GraphQL IDE (Altair) comes from the gateway itself: the page and every asset it names
// are served locally (no CDN: it works offline), under the gateway's usual CSP.
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { bearer, startGateway, type TestGateway } from './support/gateway.js';

/** The src and href values of the page's script and link tags, as the browser reads them. */
function referencedAssets(html: string): string[] {
  const found = [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map(
    (m) => m[1],
  );
  return [...new Set(found)];
}

describe('GraphQL IDE (e2e)', () => {
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

  it('serves the page and every asset it references from the gateway, under the CSP', async () => {
    const redirect = await fetch(`${gateway.url}/graphiql`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/graphiql/');

    const page = await fetch(`${gateway.url}/graphiql/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    const html = await page.text();
    expect(html).toContain('<base href="/graphiql/">');
    // Nothing from elsewhere: no absolute URL in any script or link, no inline script.
    expect(html).not.toMatch(/<(?:script|link)\b[^>]*\b(?:src|href)="(?:https?:)?\/\//);
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);

    const assets = referencedAssets(html);
    expect(assets).toEqual(
      expect.arrayContaining(['main.js', 'polyfills.js', 'styles.css', 'initial_options.js']),
    );
    for (const asset of assets) {
      const response = await fetch(new URL(asset, `${gateway.url}/graphiql/`));
      expect([asset, response.status]).toEqual([asset, 200]);
      const type = response.headers.get('content-type') ?? '';
      if (asset.endsWith('.js')) expect(type).toMatch(/^(application|text)\/javascript/);
      if (asset.endsWith('.css')) expect(type).toMatch(/^text\/css/);
      await response.arrayBuffer();
    }
  });

  it('points the IDE at /graphql, which answers it with a key', async () => {
    const options = await (await fetch(`${gateway.url}/graphiql/initial_options.js`)).text();
    expect(options).toContain('AltairGraphQL.init(');
    expect(options).toContain('endpointURL: `/graphql`');
    const introspection = await fetch(`${gateway.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: bearer() },
      body: JSON.stringify({ query: '{ __schema { queryType { name } } }' }),
    });
    expect(await introspection.json()).toEqual({
      data: { __schema: { queryType: { name: 'Query' } } },
    });
  });

  it('is not served when GRAPHQL_LANDING_PAGE is off (the production default)', async () => {
    const off = await startGateway(sim, { GRAPHQL_LANDING_PAGE: 'false' });
    try {
      expect((await fetch(`${off.url}/graphiql/`)).status).toBe(404);
      expect((await fetch(`${off.url}/graphiql/main.js`)).status).toBe(404);
    } finally {
      await off.close();
    }
  });
});
