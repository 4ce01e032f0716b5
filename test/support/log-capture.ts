import { Writable } from 'node:stream';
import type { GatewayConfig } from '../../src/config/gateway-config.js';
import { createGatewayLogger } from '../../src/common/logging/gateway-logger.js';
import type { Logger } from 'pino';

/** A gateway logger whose JSON lines land in memory, for assertions on what is logged. */
export function capturingLogger(config: GatewayConfig): { logger: Logger; lines: () => string[] } {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = createGatewayLogger(config, sink);
  return { logger, lines: () => chunks.join('').split('\n').filter(Boolean) };
}
