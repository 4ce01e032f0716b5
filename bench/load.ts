// Runs one autocannon load in its own child process (load-worker.ts) and returns its figures.
import type { LoadResult, LoadSpec } from './load-spec.js';
import { runTsxScript } from './processes.js';

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const stdout = await runTsxScript('bench/load-worker.ts', [JSON.stringify(spec)]);
  const line = stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as LoadResult;
}
