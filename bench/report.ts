// The Markdown report: machine, table, details; printed and written to bench/results/latest.md.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { PRODUCTION_NODE_OPTIONS } from '../tools/production-node-options.js';
import { REPO_ROOT } from './processes.js';
import type { Row } from './types.js';

export interface Report {
  rows: Row[];
  notes: string[];
  rounds: number;
  elapsedSeconds: number;
  gatewayLogLevel: string;
  /** 1-minute load average when the run started (other work on the machine skews figures). */
  loadAtStart: number;
}

function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return match[1].trim();
  } catch {
    // not Linux
  }
  return cpus()[0]?.model ?? 'unknown';
}

const cell = (text: string): string => text.replaceAll('|', '\\|');

export function renderReport(report: Report): string {
  const machine = `${cpus().length} CPU(s) (nproc), ${cpuModel()}, ${(totalmem() / 1024 ** 3).toFixed(1)} GiB RAM`;
  const lines = [
    '# pancake-gateway benchmarks',
    '',
    `- date: ${new Date().toISOString()}`,
    `- node: ${process.version} (${process.platform}/${process.arch})`,
    `- machine: ${machine}; load average ${report.loadAtStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end`,
    `- rounds per comparison: ${report.rounds} (figures are medians); whole run ${report.elapsedSeconds.toFixed(0)} s`,
    `- gateway: \`node dist/main.js\` (run from a copy in bench/results/gateway-dist), NODE_ENV=production, NODE_OPTIONS=${PRODUCTION_NODE_OPTIONS} (the Dockerfile's), LOG_LEVEL=${report.gatewayLogLevel} (stdout discarded); ` +
      'load generator (autocannon) in its own child process; simulator in the orchestrator process',
    '',
    '| bench | figure | baseline | ratio | target | met? |',
    '|---|---|---|---|---|---|',
    ...report.rows.map(
      (r) =>
        `| ${cell(r.bench)} | ${cell(r.figure)} | ${cell(r.baseline)} | ${cell(r.ratio)} | ${cell(r.target)} | ${r.met === null ? 'n/a' : r.met ? 'yes' : '**no**'} |`,
    ),
    '',
    '## Details',
    '',
    ...report.notes.map((n) => `- ${n}`),
    '',
  ];
  return lines.join('\n');
}

export function writeReport(markdown: string): string {
  const dir = join(REPO_ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'latest.md');
  writeFileSync(path, markdown);
  return path;
}
