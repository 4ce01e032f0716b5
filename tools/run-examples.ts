// `npm run examples`: starts the demo stack (simulator + built gateway, `npm run build` first)
// on free ports, runs every file in examples/ against it and checks every answer. Exit 1 on
// any failure; CI runs it (test/examples.e2e-spec.ts).
import { fileURLToPath } from 'node:url';
import { checkExamplesOnDemoStack } from './examples/demo-run.js';

const EXAMPLES_DIR = fileURLToPath(new URL('../examples', import.meta.url));

const results = await checkExamplesOnDemoStack(EXAMPLES_DIR);
for (const result of results)
  console.log(`${result.ok ? 'ok  ' : 'FAIL'} ${result.name} -> ${result.detail}`);
const failed = results.filter((r) => !r.ok).length;
console.log(`${results.length - failed}/${results.length} examples answered as expected`);
process.exit(failed === 0 ? 0 : 1);
