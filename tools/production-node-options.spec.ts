import { readFileSync } from 'node:fs';
import { PRODUCTION_NODE_OPTIONS } from './production-node-options.js';

describe('PRODUCTION_NODE_OPTIONS', () => {
  it("is the Dockerfile's NODE_OPTIONS, so the smoke test and the bench run what production runs", () => {
    const dockerfile = readFileSync(new URL('../Dockerfile', import.meta.url), 'utf8');
    const set = dockerfile.match(/^ENV NODE_OPTIONS=(.+)$/m);
    expect(set?.[1]).toBe(PRODUCTION_NODE_OPTIONS);
  });
});
