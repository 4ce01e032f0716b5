// `node bench/results/adapter-build/bench/adapter-app/main.js` with ADAPTER=fastify|express, PORT,
// GATEWAY_API_KEYS and the raw upstream list JSON on stdin (see bench/benches/adapter.ts).
import 'reflect-metadata';
import { text } from 'node:stream/consumers';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { createValidationPipe } from '../../src/common/http/validation.js';
import { loadConfig } from '../../src/config/load-config.js';
import { mapCustomerListPage } from '../../src/pancake/customer.mapper.js';
import type { RawListResponse } from '../../src/pancake/pancake.raw.js';
import { AdapterAppModule } from './adapter-app.module.js';

async function main(): Promise<void> {
  const adapterName = process.env.ADAPTER;
  if (adapterName !== 'fastify' && adapterName !== 'express')
    throw new Error('ADAPTER must be fastify or express');
  const config = loadConfig({
    ...process.env,
    PANCAKE_BASE_URL: 'http://127.0.0.1:9',
    PANCAKE_PAGE_TOKENS: '111=unused-token',
  });
  const raw = JSON.parse(await text(process.stdin)) as RawListResponse;
  const { total, customers } = mapCustomerListPage(raw, '111');
  const page = {
    total,
    pageNumber: 1,
    pageSize: 100,
    hasNextPage: total > 100,
    nodes: customers.map((c) => ({ ...c, avatarUrl: `https://avatars.example/${c.psid}` })),
    source: 'UPSTREAM' as const,
    syncedAt: null,
  };
  const adapter = adapterName === 'fastify' ? new FastifyAdapter() : new ExpressAdapter();
  const app = await NestFactory.create(AdapterAppModule.forRoot(config, page), adapter, {
    logger: ['error'],
  });
  app.useGlobalPipes(createValidationPipe());
  await app.listen(config.port, '127.0.0.1');
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
