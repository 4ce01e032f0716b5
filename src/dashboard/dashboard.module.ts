import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { GatewayConfig } from '../config/gateway-config.js';
import { dashboardCsp } from './dashboard-csp.js';

/** Where the dashboard is served. */
export const DASHBOARD_PATH = '/ui';

/**
 * The production bundle `vite build` writes (ui/vite.config.ts): dist/ui beside the compiled
 * dist/dashboard/. Run from src/ (in-process tests) there is none, and /ui is not served.
 */
const BUNDLE_DIR = fileURLToPath(new URL('../ui/', import.meta.url));

/**
 * Serves the staff dashboard (ui/, a Vite + React bundle) at /ui with @fastify/static, like
 * the GraphQL IDE at /graphiql: no CDN, works offline. Its own strict CSP replaces the default
 * one (set by helmet in onRequest) on every /ui answer.
 */
@Injectable()
class DashboardRoutes implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: GatewayConfig,
  ) {}

  onModuleInit(): void {
    if (!existsSync(join(BUNDLE_DIR, 'index.html'))) return;
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const csp = dashboardCsp(this.config.pancake.avatarBaseUrl);
    // The page's asset URLs are absolute (/ui/assets/...); /ui itself is sent to /ui/.
    fastify.get(DASHBOARD_PATH, (_request, reply) => {
      void reply.redirect(`${DASHBOARD_PATH}/`, 301);
    });
    void fastify.register(fastifyStatic, {
      root: BUNDLE_DIR,
      prefix: `${DASHBOARD_PATH}/`,
      decorateReply: false,
      index: ['index.html'],
      setHeaders(reply, path) {
        reply.header('Content-Security-Policy', csp);
        // Assets carry a content hash in their names; the page must be asked for every time.
        reply.header(
          'Cache-Control',
          path.endsWith('.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
        );
      },
    });
  }
}

@Module({ providers: [DashboardRoutes] })
export class DashboardModule {}
