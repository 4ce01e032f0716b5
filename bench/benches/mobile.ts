// mobile: what a mobile client pays for the 100-customer REST page. Bytes on the wire with
// gzip and br against plain; cached compressed reads and If-None-Match revalidations (304)
// against cached plain reads, rounds interleaved in one run, with the upstream requests counted.
import { request as httpRequest } from 'undici';
import { startSimulator } from '../../tools/pancake-sim/index.js';
import {
  AUTH,
  WINDOW,
  listRequests,
  restLoad,
  restPath,
  type ListArgs,
} from '../gateway-requests.js';
import { runLoad } from '../load.js';
import type { LoadRequest, LoadResult } from '../load-spec.js';
import { startGateway, type RunningProcess } from '../processes.js';
import { fmt, median, pct } from '../stats.js';
import type { BenchContext, Row } from '../types.js';

const CONNECTIONS = 10;
const ROUND_SECONDS = 4;
const WARMUP_SECONDS = 2;
const MAX_BYTES_RATIO = 0.25;
const MIN_COMPRESSED_RATIO = 0.8;
const MIN_REVALIDATION_RATIO = 1;

interface OnWire {
  status: number;
  encoding: string | undefined;
  etag: string;
  bytes: number;
}

/** One answer as sent: undici leaves the body encoded. */
async function onWire(url: string, headers: Record<string, string>): Promise<OnWire> {
  const response = await httpRequest(url, { headers: { ...AUTH, ...headers } });
  const body = Buffer.from(await response.body.arrayBuffer());
  const header = (name: string) => {
    const value = response.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  };
  return {
    status: response.statusCode,
    encoding: header('content-encoding'),
    etag: header('etag') ?? '',
    bytes: body.length,
  };
}

export const mobileBench = {
  name: 'mobile',
  run: (ctx: BenchContext): Promise<Row[]> => run(ctx),
};

async function run(ctx: BenchContext): Promise<Row[]> {
  const sim = await startSimulator({ customers: 250 });
  const processes: RunningProcess[] = [];
  try {
    const gateway = await startGateway({ sim, env: { CACHE_TTL_SECONDS: '600' } });
    processes.push(gateway);
    const args: ListArgs = { pageId: '111', ...WINDOW, pageNumber: 1, pageSize: 100 };
    const url = `${gateway.url}${restPath(args)}`;
    const plain = await onWire(url, {}); // the miss fills the caches
    const gzip = await onWire(url, { 'accept-encoding': 'gzip' });
    const br = await onWire(url, { 'accept-encoding': 'br' });
    for (const [answer, encoding] of [
      [plain, undefined],
      [gzip, 'gzip'],
      [br, 'br'],
    ] as const)
      if (answer.status !== 200 || answer.encoding !== encoding)
        throw new Error(
          `mobile: expected 200 ${encoding ?? 'plain'}, got ${answer.status} ${answer.encoding ?? 'plain'}`,
        );

    const plainRead = restLoad(args);
    const withHeader = (name: string, value: string): LoadRequest => ({
      ...plainRead,
      headers: { ...plainRead.headers, [name]: value },
    });
    const kinds = {
      plain: plainRead,
      br: withHeader('accept-encoding', 'br'),
      gzip: withHeader('accept-encoding', 'gzip'),
      revalidation: withHeader('if-none-match', plain.etag),
    } as const;
    type Kind = keyof typeof kinds;
    const order = Object.keys(kinds) as Kind[];
    const load = (kind: Kind, durationSec: number): Promise<LoadResult> =>
      runLoad({ url: gateway.url, connections: CONNECTIONS, durationSec, requests: [kinds[kind]] });

    for (const kind of order) await load(kind, WARMUP_SECONDS);
    const upstreamBefore = listRequests(sim, '111').length;
    const results: Record<Kind, LoadResult[]> = { plain: [], br: [], gzip: [], revalidation: [] };
    for (let round = 0; round < ctx.rounds; round += 1) {
      // A different kind goes first each round so drift hits every kind alike.
      for (let i = 0; i < order.length; i += 1) {
        const kind = order[(i + round) % order.length];
        results[kind].push(await load(kind, ROUND_SECONDS));
      }
    }
    const upstream = listRequests(sim, '111').length - upstreamBefore;
    const rps = (kind: Kind) => median(results[kind].map((r) => r.reqPerSec));
    const clean = (kind: Kind) => results[kind].every((r) => r.non2xx === 0 && r.errors === 0);
    const revalidated = results.revalidation.every(
      (r) => (r.statusCounts['304'] ?? 0) === r.requests,
    );

    ctx.note(
      `mobile: 100-customer REST page, plain ${plain.bytes} B, gzip ${gzip.bytes} B, br ${br.bytes} B; ` +
        `${CONNECTIONS} connections, ${ROUND_SECONDS} s per round; upstream list requests during the loads: ${upstream}`,
    );
    for (const kind of order)
      ctx.note(
        `mobile ${kind} per round: ${results[kind].map((r) => `${fmt(r.reqPerSec)} req/s ${JSON.stringify(r.statusCounts)}`).join('; ')}`,
      );

    const bytesRow = (name: string, answer: OnWire): Row => ({
      bench: `mobile, bytes on the wire ${name} / plain`,
      figure: `${fmt(answer.bytes)} B`,
      baseline: `plain ${fmt(plain.bytes)} B`,
      ratio: pct(answer.bytes / plain.bytes),
      target: `<= ${pct(MAX_BYTES_RATIO, 0)}`,
      met: answer.bytes / plain.bytes <= MAX_BYTES_RATIO,
    });
    const readRow = (kind: 'br' | 'gzip'): Row => ({
      bench: `mobile, cached ${kind} read vs cached plain read`,
      figure: `${fmt(rps(kind))} req/s`,
      baseline: `${fmt(rps('plain'))} req/s (plain)`,
      ratio: pct(rps(kind) / rps('plain')),
      target: `>= ${pct(MIN_COMPRESSED_RATIO, 0)}`,
      met: clean(kind) && clean('plain') && rps(kind) / rps('plain') >= MIN_COMPRESSED_RATIO,
    });
    return [
      bytesRow('gzip', gzip),
      bytesRow('br', br),
      readRow('br'),
      readRow('gzip'),
      {
        bench: 'mobile, If-None-Match 304 vs cached plain read',
        figure: `${fmt(rps('revalidation'))} req/s, ${upstream} upstream`,
        baseline: `${fmt(rps('plain'))} req/s (plain)`,
        ratio: pct(rps('revalidation') / rps('plain')),
        target: `>= ${pct(MIN_REVALIDATION_RATIO, 0)}, 0 upstream`,
        met:
          clean('revalidation') &&
          revalidated &&
          upstream === 0 &&
          rps('revalidation') / rps('plain') >= MIN_REVALIDATION_RATIO,
      },
    ];
  } finally {
    for (const p of processes.reverse()) await p.stop();
    await sim.close();
  }
}
