// The staff dashboard at /ui in a real browser: headless Debian Chromium (playwright-core)
// against the built gateway (dist/, with the Vite bundle in dist/ui) in front of the
// simulator, mirror on. Nothing mocked; no request may leave 127.0.0.1 and no CSP violation
// may happen. With UPDATE_SCREENSHOTS=1 it rewrites docs/screenshots/*.png for the README.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import { startSimulator, type Simulator } from '../tools/pancake-sim/index.js';
import { startAvatarServer, type AvatarServer } from './support/avatar-server.js';
import { guardedContext, launchChromium, type PageGuards } from './support/browser.js';
import { TEST_KEYS } from './support/gateway.js';
import {
  ensureFreshBuild,
  startGatewayProcess,
  type GatewayProcess,
} from './support/gateway-process.js';
import { waitFor } from './support/wait-for.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const PAGE_ID = '111';
/** Not mirrored (SYNC_PAGES is 111): its list is read from Pancake, through the read cache. */
const UPSTREAM_PAGE_ID = '333';
const SCREENSHOTS = process.env.UPDATE_SCREENSHOTS
  ? join(ROOT, 'docs/screenshots')
  : mkdtempSync(join(tmpdir(), 'pgw-dashboard-'));

function newestMtimeMs(dir: string): number {
  return Math.max(
    ...readdirSync(dir, { recursive: true, encoding: 'utf8' }).map(
      (file) => statSync(join(dir, file)).mtimeMs,
    ),
  );
}

/** dist/ (nest build) and dist/ui (vite build) newer than their sources. */
function ensureFreshBundle(): void {
  ensureFreshBuild();
  const index = join(ROOT, 'dist/ui/index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtimeMs(join(ROOT, 'ui'))) return;
  execFileSync('npm', ['run', 'ui:build'], { cwd: ROOT, stdio: 'pipe' });
}

interface Seeded {
  name: string;
  /** One of its phones as staff type it: 0901 234 567. */
  typedPhone: string;
}

/** A mirrored customer of the page with a Vietnamese mobile number, as the gateway lists it. */
async function seededCustomerWithPhone(gateway: GatewayProcess): Promise<Seeded> {
  const until = new Date(Date.now() + 86_400_000).toISOString();
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEYS.admin}` },
    body: JSON.stringify({
      query: `{ customers(pageId: "${PAGE_ID}", since: "2000-01-01T00:00:00Z", until: "${until}", pageSize: 100) { nodes { name phoneNumbers } } }`,
    }),
  });
  const body = (await response.json()) as {
    data?: { customers: { nodes: { name: string | null; phoneNumbers: string[] }[] } };
  };
  if (!body.data) throw new Error(`customers: ${JSON.stringify(body)}`);
  const { data } = body;
  for (const customer of data.customers.nodes) {
    for (const phone of customer.phoneNumbers) {
      const digits = phone.replace(/\D/g, '');
      const national = digits.startsWith('84') ? `0${digits.slice(2)}` : digits;
      if (customer.name && /^0[35789]\d{8}$/.test(national)) {
        const typedPhone = `${national.slice(0, 4)} ${national.slice(4, 7)} ${national.slice(7)}`;
        return { name: customer.name, typedPhone };
      }
    }
  }
  throw new Error('no seeded customer with a Vietnamese mobile number');
}

/** Opens /ui/, signs in and picks a page (111); resolves with when the page was picked. */
async function signIn(page: Page, baseUrl: string, key: string, pageId = PAGE_ID): Promise<number> {
  await page.goto(`${baseUrl}/ui/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The picker lists the key's pages (the `pages` query).
  const choice = page.getByRole('button', { name: new RegExp(`^Page ${pageId}\\b`) });
  await choice.waitFor();
  const chosenAt = Date.now();
  await choice.click();
  return chosenAt;
}

function expectClean(guards: PageGuards): void {
  expect(guards.cspViolations).toEqual([]);
  expect(guards.offHostRequests).toEqual([]);
}

describe('dashboard at /ui (e2e, built dist, headless Chromium)', () => {
  let sim: Simulator;
  let avatars: AvatarServer;
  let gateway: GatewayProcess;
  let browser: Browser;
  let seeded: Seeded;
  const startedAt = Date.now();

  beforeAll(async () => {
    ensureFreshBundle();
    mkdirSync(SCREENSHOTS, { recursive: true });
    [sim, avatars, browser] = await Promise.all([
      startSimulator({ customers: 60, rateLimitPerSecond: 50 }),
      startAvatarServer(),
      launchChromium(),
    ]);
    gateway = await startGatewayProcess(
      { ...sim, avatarBaseUrl: avatars.avatarBaseUrl },
      {
        SYNC_PAGES: PAGE_ID,
        SYNC_INTERVAL_SECONDS: '1',
        PANCAKE_RATE_LIMIT_PER_SECOND: '50',
        SYNC_MAX_REQUESTS_PER_SECOND: '10',
        // A cached upstream read is old after 1 s: the next failing read serves it as stale.
        CACHE_TTL_SECONDS: '1',
        // One retry: a 429 or 503 from Pancake reaches the dashboard without the full backoff.
        PANCAKE_MAX_RETRIES: '1',
      },
      { startupBoundMs: 90_000 },
    );
    // Search and the live feed read the mirror: wait until the page is live.
    await waitFor(
      'page 111 mirrored',
      async () => {
        const response = await fetch(`${gateway.url}/v1/pages/${PAGE_ID}/sync`, {
          headers: { authorization: `Bearer ${TEST_KEYS.admin}` },
        });
        const status = (await response.json()) as { state?: string };
        return status.state === 'LIVE' ? true : undefined;
      },
      { boundMs: 60_000 },
    );
    seeded = await seededCustomerWithPhone(gateway);
    console.log(`dashboard suite set-up (gateway, mirror, Chromium): ${Date.now() - startedAt} ms`);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.stop();
    await Promise.all([sim?.close(), avatars?.close()]);
    console.log(`dashboard suite: ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
  });

  it('serves the bundle under a strict CSP, with nothing inline and nothing from elsewhere', async () => {
    const redirect = await fetch(`${gateway.url}/ui`, { redirect: 'manual' });
    expect([redirect.status, redirect.headers.get('location')]).toEqual([301, '/ui/']);
    const response = await fetch(`${gateway.url}/ui/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
      "frame-ancestors 'none'",
      `img-src 'self' ${new URL(avatars.avatarBaseUrl).origin} https://content.pancake.vn`,
    ])
      expect(csp).toContain(directive);
    expect(csp).not.toContain('unsafe');
    const html = await response.text();
    expect(html).not.toMatch(/<(?:script|link)\b[^>]*\b(?:src|href)="(?:https?:)?\/\//);
    expect(html).not.toMatch(/<script\b[^>]*>[^<]+<\/script>/);
    expect(html).not.toMatch(/\sstyle=/);
  });

  it('says clearly when the key is wrong', async () => {
    const { context, page, guards } = await guardedContext(browser, { width: 1280, height: 900 });
    try {
      await page.goto(`${gateway.url}/ui/`);
      await page.getByLabel('API key').fill('not-a-key-of-this-gateway-000');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByRole('alert');
      await expect(alert.textContent()).resolves.toBeDefined();
      await page.getByText('The gateway refused this API key (401 UNAUTHENTICATED)').waitFor();
      // Back on the sign-in form, the key gone from the tab.
      await page.getByLabel('API key').waitFor();
      expect(await page.evaluate(() => Object.keys(sessionStorage))).not.toContain(
        'pancake-gateway.apiKey',
      );
      expectClean(guards);
    } finally {
      await context.close();
    }
  }, 60_000);

  it("offers the key's pages only", async () => {
    const { context, page, guards } = await guardedContext(browser, { width: 1280, height: 900 });
    try {
      await page.goto(`${gateway.url}/ui/`);
      await page.getByLabel('API key').fill(TEST_KEYS.page222);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const choices = page.locator('.page-list button');
      await choices.first().waitFor();
      expect(await choices.allTextContents()).toEqual(['Page 222read from Pancake']);
      expectClean(guards);
    } finally {
      await context.close();
    }
  }, 60_000);

  it('lists, searches by a typed phone, edits a customer, shows inserts live and resumes after a drop', async () => {
    const { context, page, guards } = await guardedContext(browser, { width: 1280, height: 900 });
    // The socket passes through a route the test can cut, to see the reconnect resume.
    const sockets: WebSocketRoute[] = [];
    const subscribed: { after?: string | null }[] = [];
    let lastCursor: string | undefined;
    await page.routeWebSocket(/\/graphql$/, (socket) => {
      const server = socket.connectToServer();
      sockets.push(socket);
      socket.onMessage((message) => {
        const frame = JSON.parse(String(message)) as {
          type: string;
          payload?: { variables?: object };
        };
        if (frame.type === 'subscribe') subscribed.push(frame.payload?.variables ?? {});
        server.send(message);
      });
      server.onMessage((message) => {
        const frame = JSON.parse(String(message)) as {
          payload?: { data?: { customerEvents?: { cursor?: string } } };
        };
        lastCursor = frame.payload?.data?.customerEvents?.cursor ?? lastCursor;
        socket.send(message);
      });
    });
    try {
      // Sign in and the first list: the time staff wait for their customers.
      const openedAt = Date.now();
      const chosenAt = await signIn(page, gateway.url, TEST_KEYS.admin);
      const rows = page.locator('.customer-list .customer-row');
      await rows.first().waitFor();
      const shownAt = Date.now();
      console.log(
        `time to first list: ${shownAt - chosenAt} ms from picking the page (20 of its 60 ` +
          `customers from the mirror); ${shownAt - openedAt} ms from loading /ui/ (typing included)`,
      );
      expect(await rows.count()).toBe(20);
      await page
        .getByText(/From the gateway's mirror, synced|Read from Pancake just now/)
        .waitFor();
      await page.getByText('Page 1 of 3 · 60 customers').waitFor();
      await page.getByText('Live', { exact: true }).waitFor();
      // Avatars: the loaded ones drawn, the failed ones replaced by initials.
      await waitFor('avatars settled', async () => {
        const states = await page
          .locator('.customer-list .avatar img')
          .evaluateAll((images) =>
            (images as HTMLImageElement[]).map((img) => img.complete && img.naturalWidth > 0),
          );
        return states.length > 0 && states.length < 20 && states.every(Boolean) ? true : undefined;
      });
      await page.screenshot({ path: join(SCREENSHOTS, 'list.png') });

      // Paging.
      await page.getByRole('button', { name: 'Older' }).click();
      await page.getByText('Page 2 of 3 · 60 customers').waitFor();
      await page.getByRole('button', { name: 'Newer' }).click();
      await page.getByText('Page 1 of 3 · 60 customers').waitFor();

      // Search by the phone as staff would type it.
      await page.getByLabel('Search by phone or name').fill(seeded.typedPhone);
      await page.getByRole('button', { name: 'Search', exact: true }).click();
      const results = page.locator('.search-results .customer-row');
      await results.first().waitFor();
      await expect(results.first().textContent()).resolves.toContain(seeded.name);
      await page.screenshot({ path: join(SCREENSHOTS, 'search.png') });

      // Open it, add a phone (a refused one first) and a note.
      await results.first().getByRole('button', { name: seeded.name }).click();
      await page.getByRole('heading', { name: seeded.name }).waitFor();
      const phoneField = page.getByLabel('Add a phone number');
      await phoneField.fill('12');
      await page.getByRole('button', { name: 'Add phone' }).click();
      const phoneError = page.locator('#new-phone-error');
      await phoneError.waitFor();
      expect((await phoneError.textContent())?.length).toBeGreaterThan(5);
      await phoneField.fill('0912 345 678');
      await page.getByRole('button', { name: 'Add phone' }).click();
      await page.locator('.phone-list li', { hasText: '+84912345678' }).waitFor();
      await expect(phoneError.count()).resolves.toBe(0);
      await page.getByLabel('Add a note').fill('VIP: call back after 14:00');
      await page.getByRole('button', { name: 'Add note' }).click();
      await page.locator('.note', { hasText: 'VIP: call back after 14:00' }).waitFor();
      await page.screenshot({ path: join(SCREENSHOTS, 'customer.png'), fullPage: true });

      // A customer created upstream (Pancake's dashboard) reaches the live strip.
      await page.getByRole('button', { name: '← Back to the list' }).click();
      const inserted = await fetch(`${sim.controlUrl}/pages/${PAGE_ID}/customers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customers: [{ name: 'Trần Thị Live', phone_numbers: [] }] }),
      });
      expect(inserted.status).toBe(201);
      await page
        .locator('.live-events li[data-event-type="CUSTOMER_CREATED"]', {
          hasText: 'Trần Thị Live',
        })
        .waitFor({ timeout: 20_000 });
      await page.screenshot({ path: join(SCREENSHOTS, 'live.png') });

      // The socket drops: the strip reconnects and subscribes again after the last cursor.
      expect(subscribed).toEqual([{ pageId: PAGE_ID, after: null }]);
      const cursorBeforeDrop = lastCursor;
      expect(cursorBeforeDrop).toBeDefined();
      await sockets[0].close({ code: 4000, reason: 'dropped by the test' });
      await page.getByText(/^Reconnecting in 1 s \(attempt 1: closed \(4000\)\)/).waitFor();
      await page.getByText('Live', { exact: true }).waitFor();
      expect(subscribed).toEqual([
        { pageId: PAGE_ID, after: null },
        { pageId: PAGE_ID, after: cursorBeforeDrop },
      ]);
      await fetch(`${sim.controlUrl}/pages/${PAGE_ID}/customers`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customers: [{ name: 'Lê Văn Resumed', phone_numbers: [] }] }),
      });
      await page
        .locator('.live-events li', { hasText: 'Lê Văn Resumed' })
        .waitFor({ timeout: 20_000 });
      const shown = await page.locator('.live-events li').count();
      expect(shown).toBeGreaterThanOrEqual(4);

      expectClean(guards);
      expect(guards.consoleErrors.filter((line) => !/Failed to load resource/.test(line))).toEqual(
        [],
      );
      // Every avatar came from the stand-in for Pancake's redirect and CDN.
      expect(avatars.requests.some((path) => path.startsWith('/api/v1/pages/111/avatar/'))).toBe(
        true,
      );
    } finally {
      await context.close();
    }
  }, 90_000);

  it('names a rate limit and an upstream failure, and marks the stale copy served when Pancake fails later', async () => {
    const { context, page, guards } = await guardedContext(browser, { width: 1280, height: 900 });
    const pancakeDown = (): void =>
      sim.injectFault({
        pageId: UPSTREAM_PAGE_ID,
        operation: 'list',
        count: 1000,
        kind: 'status',
        status: 503,
      });
    try {
      // Pancake refusing with 429 past the gateway's retries: rate limited, said so.
      sim.injectFault({
        pageId: UPSTREAM_PAGE_ID,
        operation: 'list',
        count: 1000,
        kind: 'status',
        status: 429,
      });
      await signIn(page, gateway.url, TEST_KEYS.admin, UPSTREAM_PAGE_ID);
      await page.getByText(/^Too many requests \(429 RATE_LIMITED\): try again in \d+ s/).waitFor();
      sim.clearFaults();
      pancakeDown();
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByText(/^Pancake is not answering \(UPSTREAM_ERROR\)/).waitFor();
      sim.clearFaults();
      await page.getByRole('button', { name: 'Try again' }).click();
      await page.getByText('Read from Pancake just now').waitFor();
      await sleep(1_100); // past CACHE_TTL_SECONDS
      pancakeDown();
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByText(/^Stale copy, \d+ s old: Pancake is not answering/).waitFor();
      // The change feed records mirrored pages only: the strip says so instead of retrying.
      await page.getByText(/^Stopped: SYNC_NOT_READY/).waitFor();
      expect(await page.locator('.customer-list .customer-row').count()).toBe(20);
      await page.screenshot({ path: join(SCREENSHOTS, 'stale.png') });
      expectClean(guards);
    } finally {
      sim.clearFaults();
      await context.close();
    }
  }, 60_000);

  it('works at a phone width (375 px) without sideways scrolling', async () => {
    const { context, page, guards } = await guardedContext(browser, { width: 375, height: 812 });
    try {
      await signIn(page, gateway.url, TEST_KEYS.admin);
      await page.locator('.customer-list .customer-row').first().waitFor();
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SCREENSHOTS, 'phone.png') });
      expectClean(guards);
    } finally {
      await context.close();
    }
  }, 60_000);
});
