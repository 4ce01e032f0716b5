// Every file in examples/ runs against the demo stack (simulator + built gateway) and gets the
// answer it documents, so the examples never rot. Uses the built dist (npm run build).
import { fileURLToPath } from 'node:url';
import { checkExamplesOnDemoStack } from '../tools/examples/demo-run.js';

const EXAMPLES_DIR = fileURLToPath(new URL('../examples', import.meta.url));

describe('examples/ (e2e, built dist)', () => {
  // A child process to start (its PGlite loads a dump, or runs initdb on a fresh machine) and
  // 22 requests paced by the page's 5/s: 11 s here, over 30 s in a CI run on a busier machine.
  it('answers every GraphQL and REST example as documented', async () => {
    const results = await checkExamplesOnDemoStack(EXAMPLES_DIR);
    expect(results.filter((r) => !r.ok)).toEqual([]);
    // Seven GraphQL operations, eight REST requests, and the main errors of both.
    expect(results.length).toBeGreaterThanOrEqual(22);
    for (const operation of [
      'customers',
      'customer',
      'update-customer',
      'add-customer-phone-numbers',
      'create-note',
      'update-note',
      'delete-note',
    ])
      expect(results.some((r) => r.name.endsWith(`-${operation}.graphql`))).toBe(true);
  }, 120_000);
});
