// Child process: runs one autocannon load described by argv[2] (JSON LoadSpec) and prints the
// LoadResult as one JSON line. Kept out of the orchestrator so the load generator never shares
// a process (or an event loop) with a server under test.
import autocannon, { type AutocannonRequest } from 'autocannon';
import { SEQ_BASE_MS, type LoadResult, type LoadSpec } from './load-spec.js';
import { percentile } from './stats.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
let seq = 0;

function dynamic(template: AutocannonRequest): AutocannonRequest {
  const text = `${template.path ?? ''}${template.body ?? ''}`;
  if (!text.includes('__SEQ')) return template;
  return {
    ...template,
    setupRequest: (request) => {
      seq += 1;
      const minute = new Date(SEQ_BASE_MS + seq * 60_000).toISOString();
      const fill = (s: string | undefined): string | undefined =>
        s?.replaceAll('__SEQ_MINUTE__', minute).replaceAll('__SEQ__', String(seq));
      return { ...request, path: fill(template.path), body: fill(template.body) };
    },
  };
}

/** A 304 answers a revalidation in full: it counts as a success, like a 2xx. */
const succeeded = (status: number): boolean => (status >= 200 && status < 300) || status === 304;

async function main(): Promise<void> {
  const latencies: number[] = [];
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    // autocannon rejects an explicit undefined: pass only what is set.
    ...(spec.amount === undefined ? { duration: spec.durationSec ?? 10 } : { amount: spec.amount }),
    timeout: 30,
    requests: spec.requests.map((r) =>
      dynamic({ method: r.method, path: r.path, headers: r.headers, body: r.body }),
    ),
  });
  instance.on(
    'response',
    (_client: unknown, status: number, _bytes: number, responseTime: number) => {
      if (succeeded(status)) latencies.push(responseTime);
    },
  );
  const result = await instance;
  const statusCounts: Record<string, number> = {};
  for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {}))
    statusCounts[code] = count;
  const total = Object.values(statusCounts).reduce((a, b) => a + b, 0);
  const out: LoadResult = {
    requests: total,
    durationSec: result.duration,
    reqPerSec: total / result.duration,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    // autocannon counts a 304 as non-2xx.
    non2xx: Object.entries(statusCounts)
      .filter(([code]) => !succeeded(Number(code)))
      .reduce((sum, [, count]) => sum + count, 0),
    errors: result.errors,
    timeouts: result.timeouts,
    statusCounts,
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
