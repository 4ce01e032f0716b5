// The built app (dist/) booted for tools that read what it generates (schema, OpenAPI):
// Nest's code-first schema and Swagger need decorator metadata, which tsx's esbuild does not emit.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { INestApplication } from '@nestjs/common';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

// Only the app is built: the config just has to be valid; nothing is called, no page mirrored.
const DUMMY_ENV = {
  NODE_ENV: 'test',
  PANCAKE_PAGE_TOKENS: '1=dist-app-token',
  GATEWAY_API_KEYS: 'dist-app=dist-app-key-0123456789abcdef',
  LOG_LEVEL: 'silent',
  SYNC_PAGES: 'none',
  DATA_DIR: ':memory:',
};

/** A module of the build, by its path under dist/. */
export async function fromDist<T>(path: string): Promise<T> {
  const file = join(ROOT, 'dist', path);
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  return (await import(pathToFileURL(file).href)) as T;
}

/** Runs fn on the app as production builds it (initialized, never listening), then closes it. */
export async function withDistApp<T>(fn: (app: INestApplication) => T | Promise<T>): Promise<T> {
  const { createApp } = await fromDist<{ createApp(config: unknown): Promise<INestApplication> }>(
    'app.factory.js',
  );
  const { loadConfig } = await fromDist<{ loadConfig(env: object): unknown }>(
    'config/load-config.js',
  );
  const app = await createApp(loadConfig(DUMMY_ENV));
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}
