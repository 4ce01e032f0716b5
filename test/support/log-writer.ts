/**
 * Run: node --import tsx test/support/log-writer.ts <mode>. Logs one line through the gateway's
 * buffered stdout, then: `exit` calls process.exit(0) at once, `throw` dies of an uncaught
 * exception, `wait` stays until a line arrives on stdin (the test reads the log line first).
 */
import { pino } from 'pino';
import { bufferedStdout } from '../../src/common/logging/gateway-logger.js';

const mode = process.argv[2];
const logger = pino({ base: null }, bufferedStdout());
logger.info({ mode }, 'buffered line');
if (mode === 'exit') process.exit(0);
if (mode === 'throw') throw new Error('crash after logging');
process.stdin.once('data', () => process.exit(0));
