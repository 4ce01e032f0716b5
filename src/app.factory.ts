import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { GatewayConfig } from './config/gateway-config.js';

/** Builds the gateway exactly as production runs it; e2e tests call this too. */
export async function createApp(config: GatewayConfig): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: config.http.bodyLimitBytes,
    requestTimeout: config.http.requestTimeoutMs,
    trustProxy: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: config.nodeEnv === 'test' ? false : ['error', 'warn', 'log'],
  });
  app.enableShutdownHooks();
  await app.init();
  return app;
}
