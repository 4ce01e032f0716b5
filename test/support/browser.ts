/**
 * Headless Chromium for browser suites: Debian's `chromium` package (never a downloaded build),
 * driven by playwright-core. Each page records what a strict page must never do: a CSP
 * violation, or a request to any host but 127.0.0.1.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/** CHROMIUM_PATH, or Debian's /usr/bin/chromium (.ci/run installs it when missing). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `no Chromium at ${CHROMIUM_PATH}: apt-get install -y chromium (or set CHROMIUM_PATH)`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: LAUNCH_ARGS });
}

/** What a page did that it must not: CSP violations and requests that left 127.0.0.1. */
export interface PageGuards {
  cspViolations: string[];
  offHostRequests: string[];
  consoleErrors: string[];
}

const LOCAL_HOST = '127.0.0.1';

function isLocal(url: string): boolean {
  try {
    const { protocol, hostname } = new URL(url);
    return protocol === 'data:' || protocol === 'about:' || hostname === LOCAL_HOST;
  } catch {
    return false;
  }
}

/**
 * A context whose pages report CSP violations (the securitypolicyviolation event, and the
 * console line Chromium writes for each) and whose requests must stay on 127.0.0.1: any other
 * is recorded and aborted, so a test never reaches the network even when it fails.
 */
export async function guardedContext(
  browser: Browser,
  options: { width: number; height: number },
): Promise<{ context: BrowserContext; page: Page; guards: PageGuards }> {
  const guards: PageGuards = { cspViolations: [], offHostRequests: [], consoleErrors: [] };
  const context = await browser.newContext({
    viewport: { width: options.width, height: options.height },
    serviceWorkers: 'block',
  });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (isLocal(url)) return route.continue();
    guards.offHostRequests.push(url);
    return route.abort('blockedbyclient');
  });
  await context.exposeBinding('__reportCspViolation', (_source, line: string) => {
    guards.cspViolations.push(line);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      const report = (window as unknown as { __reportCspViolation(line: string): void })
        .__reportCspViolation;
      void report(`${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy/i.test(text)) guards.cspViolations.push(text);
    else if (message.type() === 'error') guards.consoleErrors.push(text);
  });
  page.on('websocket', (socket) => {
    if (!isLocal(socket.url())) guards.offHostRequests.push(socket.url());
  });
  return { context, page, guards };
}
