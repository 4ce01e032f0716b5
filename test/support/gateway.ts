import 'reflect-metadata';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createApp, type CreateAppOptions } from '../../src/app.factory.js';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { loadConfig } from '../../src/config/load-config.js';
import {
  startSimulator,
  type Simulator,
  type SimulatorOptions,
} from '../../tools/pancake-sim/index.js';

/** API keys every e2e gateway accepts. */
export const TEST_KEYS = {
  /** Full access to every page. */
  admin: 'test-admin-key-0123456789',
  /** Read-only, every page. */
  reader: 'test-reader-key-0123456789',
  /** Write access to page 222 only. */
  page222: 'test-page222-key-0123456789',
} as const;

export const TEST_API_KEYS_ENV = [
  `admin=${TEST_KEYS.admin}`,
  `reader=${TEST_KEYS.reader};scope=read`,
  `page222=${TEST_KEYS.page222};pages=222`,
].join(',');

export const bearer = (key: string = TEST_KEYS.admin): string => `Bearer ${key}`;

export interface TestGateway {
  app: NestFastifyApplication;
  /** http://127.0.0.1:PORT */
  url: string;
  config: GatewayConfig;
  close(): Promise<void>;
}

/** Where a simulator answers: an in-process Simulator or one in its own process (sim-process.ts). */
export type SimulatorEndpoints = Pick<Simulator, 'url' | 'avatarBaseUrl' | 'pageTokensEnv'>;

/** Boots the real gateway (createApp, as production) against a simulator, on a free port. */
export async function startGateway(
  sim: SimulatorEndpoints,
  env: Record<string, string> = {},
  options: CreateAppOptions | ((config: GatewayConfig) => CreateAppOptions) = {},
): Promise<TestGateway> {
  const config = loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    PANCAKE_BASE_URL: sim.url,
    PANCAKE_AVATAR_BASE_URL: sim.avatarBaseUrl,
    PANCAKE_PAGE_TOKENS: sim.pageTokensEnv,
    GATEWAY_API_KEYS: TEST_API_KEYS_ENV,
    // Fast retries keep e2e quick; the 1 s/2 s/4 s schedule is unit-tested.
    PANCAKE_RETRY_BASE_MS: '20',
    LOG_LEVEL: 'silent',
    // The mirror is opt-in per suite: no sync, and no database opened unless a suite asks.
    SYNC_PAGES: 'none',
    DATA_DIR: ':memory:',
    ...env,
  });
  const app = await createApp(config, typeof options === 'function' ? options(config) : options);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { app, url: `http://127.0.0.1:${port}`, config, close: () => app.close() };
}

/** A simulator plus a gateway in front of it, closed together. */
export async function startStack(
  simOptions: SimulatorOptions = {},
  env: Record<string, string> = {},
): Promise<{ sim: Simulator; gateway: TestGateway; close(): Promise<void> }> {
  const sim = await startSimulator(simOptions);
  const gateway = await startGateway(sim, env);
  return {
    sim,
    gateway,
    close: async () => {
      await gateway.close();
      await sim.close();
    },
  };
}

/** A window that holds every seeded customer (seed data spans 2024-01-01 to 2026-06-30). */
export const ALL_TIME = { since: '2023-01-01T00:00:00Z', until: '2026-12-31T00:00:00Z' } as const;
