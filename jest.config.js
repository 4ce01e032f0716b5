// ESM project: Nest 12 ships ESM only, and Jest loads it natively only with vm modules on Node 20.
/** Suites timing requests at the simulator across child processes: run one at a time. */
export const SERIAL_SUITES = [
  '<rootDir>/test/rate-limit-replicas.e2e-spec.ts',
  '<rootDir>/test/rate-limit-cpu-stall.e2e-spec.ts',
];

/** @type {import('jest').Config} */
const config = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  rootDir: '.',
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*(?<!\\.json))\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true }],
    // ESM-only packages that CommonJS dependencies require() (Node 20.19+ allows it, Jest's VM
    // does not): @fastify/static -> content-disposition (Swagger UI assets), light-my-request -> cookie.
    '/node_modules/(content-disposition|cookie)/.+\\.js$': [
      'ts-jest',
      {
        tsconfig: {
          allowJs: true,
          module: 'commonjs',
          moduleResolution: 'node10',
          isolatedModules: true,
        },
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cookie)/)'],
  testEnvironment: 'node',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 30000,
  // Workers, not one process: Jest's default on 2 cores (cores - 1) runs every suite in band,
  // where the VM modules of 162 suites pile up in one heap and GC stalls grow (895 s against
  // 272 s for two recycled workers, same machine). A worker past 1 GB is replaced.
  maxWorkers: 2,
  workerIdleMemoryLimit: '1GB',
  // The suites that measure upstream arrival times across processes run alone afterwards
  // (jest.serial.config.js): beside another worker, a replica starved of CPU sent 44 ms late.
  testPathIgnorePatterns: ['/node_modules/', ...SERIAL_SUITES],
};
export default config;
