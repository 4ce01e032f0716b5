import { pino, type Logger } from 'pino';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { createSecretRedactor } from './secret-redactor.js';

/** Every secret the gateway holds: none may reach a log line. */
export function secretsOf(config: GatewayConfig): string[] {
  const secrets = [...config.pancake.pageTokens.values(), ...config.apiKeys.map((k) => k.key)];
  if (config.redis.url) {
    const password = new URL(config.redis.url).password;
    if (password) secrets.push(decodeURIComponent(password));
  }
  return secrets;
}

/** The process's pino logger: JSON lines, secrets scrubbed from every field, errors included. */
export function createGatewayLogger(
  config: GatewayConfig,
  destination?: pino.DestinationStream,
): Logger {
  const redact = createSecretRedactor(secretsOf(config));
  return pino(
    {
      level: config.logLevel,
      base: { service: 'pancake-gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['req.headers.authorization', 'headers.authorization', 'req.headers.cookie'],
        censor: '[redacted]',
      },
      serializers: { err: (error: unknown) => redact(error) },
      formatters: {
        level: (label) => ({ level: label }),
        log: (object) => redact(object) as Record<string, unknown>,
      },
      hooks: {
        // Messages are scrubbed too: `logger.error(err, 'failed calling ' + url)` must not leak.
        logMethod(args, method) {
          const scrubbed = args.map((arg) =>
            typeof arg === 'string' ? (redact(arg) as string) : arg,
          );
          return method.apply(this, scrubbed as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
