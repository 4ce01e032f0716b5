import 'reflect-metadata';
import { createServer } from 'node:net';
import { createApp } from './app.factory.js';
import { createGatewayLogger } from './common/logging/gateway-logger.js';
import { ConfigError, loadConfig } from './config/load-config.js';
import type { GatewayConfig } from './config/gateway-config.js';

function configOrExit(): GatewayConfig {
  try {
    return loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    // One line naming the variable and the rule; never the value of a secret.
    process.stderr.write(`pancake-gateway: invalid configuration: ${error.message}\n`);
    process.exit(1);
  }
}

/** A busy or forbidden port is a configuration problem: one line naming it, no stack. */
function exitOnPortError(error: unknown, config: GatewayConfig): void {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'EADDRINUSE' && code !== 'EACCES') return;
  const problem = code === 'EADDRINUSE' ? 'is already in use' : 'may not be opened by this user';
  process.stderr.write(
    `pancake-gateway: port ${config.port} on ${config.host} ${problem}; set PORT to another port\n`,
  );
  process.exit(1);
}

/** Tries the port before building the app: Nest logs a failed listen with a stack of its own. */
async function portOrExit(config: GatewayConfig): Promise<void> {
  if (config.port === 0) return;
  const probe = createServer();
  await new Promise<void>((resolve) => {
    probe.once('error', (error) => {
      exitOnPortError(error, config);
      resolve(); // another problem (a bad HOST): app.listen reports it
    });
    probe.listen(config.port, config.host, () => probe.close(() => resolve()));
  });
}

async function bootstrap(): Promise<void> {
  const config = configOrExit();
  await portOrExit(config);
  const logger = createGatewayLogger(config);
  const app = await createApp(config, { logger });
  await app.listen(config.port, config.host);
  logger.info(
    {
      port: config.port,
      pages: config.pancake.pageTokens.size,
      keys: config.apiKeys.length,
      redis: Boolean(config.redis.url),
    },
    'pancake-gateway listening',
  );
  // Started but useless: say so at once rather than at the first 401 or 404.
  if (config.apiKeys.length === 0)
    logger.warn('no API keys configured (GATEWAY_API_KEYS): every API call will get 401');
  if (config.pancake.pageTokens.size === 0)
    logger.warn('no pages configured (PANCAKE_PAGE_TOKENS): every page will get 404');

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: no new connections, finishing in-flight requests');
    // Past the bound, in-flight work is abandoned rather than holding the rollout.
    const force = setTimeout(() => {
      logger.error({ timeoutMs: config.http.shutdownTimeoutMs }, 'shutdown timed out');
      process.exit(1);
    }, config.http.shutdownTimeoutMs);
    force.unref();
    // close() drops only the connections idle at that moment; keep-alive connections of requests
    // finishing later would otherwise hold the process until their keep-alive timeout.
    const server = app.getHttpServer();
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    sweep.unref();
    app
      .close()
      .then(() => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  // Started with an IPC channel (the demo): stop with the parent, even one that was SIGKILLed.
  if (process.send) process.once('disconnect', () => shutdown('SIGTERM'));
}

void bootstrap();
