// What a write pays on a shared PostgreSQL mirror for read-after-write across replicas: it
// waits MIRROR_VERSION_TRUST_MS after its mirror commit before it answers (MirrorStore.
// afterGatewayWrite). Two gateways on one simulator, each on a database of its own, the trust
// at its default and at 0 (no wait, every mirrored read asks the database); writes alternate.
import 'reflect-metadata';
import { EnvironmentVariables } from '../../src/config/environment.schema.js';
import { startSimulator } from '../../tools/pancake-sim/index.js';
import { AUTH } from '../gateway-requests.js';
import { untilLive } from '../mirror-sync.js';
import { freshPostgresDatabase, postgresUnreachable, type BenchDatabase } from '../postgres.js';
import { startGateway, type RunningProcess } from '../processes.js';
import { median, ms, percentile } from '../stats.js';
import type { Bench, BenchContext, Row } from '../types.js';

const PAGE = '111';
const CUSTOMERS = 1_000;
const WRITES_PER_ROUND = 60;
const WARMUP_WRITES = 10;
const DEFAULT_TRUST_MS = new EnvironmentVariables().MIRROR_VERSION_TRUST_MS;
/** The wait is one timer of the trust: what it adds beyond that is timer and scheduling slack. */
const SLACK_MS = 5;

export const mirrorWritesBench: Bench = { name: 'mirror-writes', run };

async function run(ctx: BenchContext): Promise<Row[]> {
  const label = `mirror (PostgreSQL), write p50 with MIRROR_VERSION_TRUST_MS=${DEFAULT_TRUST_MS}`;
  const databases: BenchDatabase[] = [];
  try {
    for (let i = 0; i < 2; i += 1) databases.push(await freshPostgresDatabase('bench_writes'));
  } catch (error) {
    await Promise.all(databases.map((database) => database.drop()));
    return [postgresUnreachable(label, error)];
  }
  const sim = await startSimulator({
    pages: [PAGE],
    customersByPage: { [PAGE]: CUSTOMERS },
    rateLimitPerSecond: Infinity,
  });
  const gateways: RunningProcess[] = [];
  try {
    for (const [i, trustMs] of [DEFAULT_TRUST_MS, 0].entries())
      gateways.push(
        await startGateway({
          sim,
          env: {
            DATABASE_URL: databases[i]!.url,
            MIRROR_VERSION_TRUST_MS: String(trustMs),
            SYNC_PAGES: PAGE,
            SYNC_MAX_REQUESTS_PER_SECOND: '50',
            PANCAKE_RATE_LIMIT_PER_SECOND: '100',
            SYNC_INTERVAL_SECONDS: '3600',
          },
        }),
      );
    for (const gateway of gateways) await untilLive(gateway, PAGE, 60_000);
    const ids = sim.store.listCustomers(PAGE).map((customer) => customer.id);
    let next = 0;
    const write = (gateway: RunningProcess) => timedWrite(gateway, ids[next++ % ids.length]!);
    for (let i = 0; i < WARMUP_WRITES; i += 1) for (const gateway of gateways) await write(gateway);
    const trusted: number[] = [];
    const untrusted: number[] = [];
    for (let round = 0; round < ctx.rounds; round += 1) {
      const times: number[][] = [[], []];
      for (let i = 0; i < WRITES_PER_ROUND; i += 1)
        // Alternating which goes first, as the read pairs do.
        for (const g of i % 2 === 0 ? [0, 1] : [1, 0]) times[g]!.push(await write(gateways[g]!));
      trusted.push(percentile(times[0]!, 50));
      untrusted.push(percentile(times[1]!, 50));
    }
    ctx.note(
      `${label}, p50 per round: ${trusted.map((v) => v.toFixed(2)).join(', ')} ms; with 0: ` +
        `${untrusted.map((v) => v.toFixed(2)).join(', ')} ms (${WRITES_PER_ROUND} PATCH name ` +
        `writes each per round, alternating, simulator without a rate limit)`,
    );
    const added = median(trusted) - median(untrusted);
    return [
      {
        bench: label,
        figure: `p50 ${ms(median(trusted))}`,
        baseline: `p50 ${ms(median(untrusted))} with 0 (no wait)`,
        ratio: `+${ms(added)}`,
        target: `<= +${DEFAULT_TRUST_MS + SLACK_MS} ms`,
        met: added <= DEFAULT_TRUST_MS + SLACK_MS,
      },
    ];
  } finally {
    for (const gateway of gateways) await gateway.stop();
    await sim.close();
    await Promise.all(databases.map((database) => database.drop()));
  }
}

async function timedWrite(gateway: RunningProcess, id: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${gateway.url}/v1/pages/${PAGE}/customers/${id}`, {
    method: 'PATCH',
    headers: { ...AUTH, 'content-type': 'application/json' },
    body: JSON.stringify({ name: `Bench ${Math.round(started)}` }),
  });
  await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`write failed: ${response.status}`);
  return performance.now() - started;
}
