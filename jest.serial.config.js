// The suites of jest.config.js's SERIAL_SUITES, one at a time after the others (`npm test`).
import config, { SERIAL_SUITES } from './jest.config.js';

/** @type {import('jest').Config} */
export default {
  ...config,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: SERIAL_SUITES,
  testRegex: undefined,
  maxWorkers: 1,
};
