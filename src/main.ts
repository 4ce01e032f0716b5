import 'reflect-metadata';
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

async function bootstrap(): Promise<void> {
  const config = configOrExit();
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
}

void bootstrap();
