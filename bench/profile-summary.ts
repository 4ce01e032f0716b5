// `npx tsx bench/profile-summary.ts <file.cpuprofile> [top] [self|total]`: time per function,
// highest first, from a profile written by `npm run bench -- --cpu-prof` (node --cpu-prof).
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { REPO_ROOT } from './processes.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

function label(node: ProfileNode): string {
  const { functionName, url, lineNumber } = node.callFrame;
  const where = url
    ? `${relative(REPO_ROOT, url.replace(/^file:\/\//, ''))}:${lineNumber + 1}`
    : '';
  return `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
}

/** Self time (the sampled frame only) or total time (every distinct frame on the stack). */
export function times(
  profile: CpuProfile,
  mode: 'self' | 'total',
): { name: string; ms: number; share: number }[] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const totals = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    const micros = profile.timeDeltas[i] ?? 0;
    if (!node) return;
    all += micros;
    const names = new Set<string>();
    for (
      let at: number | undefined = id;
      at !== undefined;
      at = mode === 'self' ? undefined : parent.get(at)
    ) {
      const frame = byId.get(at);
      if (frame) names.add(label(frame));
    }
    for (const name of names) totals.set(name, (totals.get(name) ?? 0) + micros);
  });
  return [...totals.entries()]
    .map(([name, micros]) => ({ name, ms: micros / 1000, share: micros / all }))
    .sort((a, b) => b.ms - a.ms);
}

if (process.argv[1]?.endsWith('profile-summary.ts')) {
  const [file, top = '25', mode = 'self'] = process.argv.slice(2);
  if (!file || (mode !== 'self' && mode !== 'total')) {
    console.error('usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top] [self|total]');
    process.exit(1);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  for (const { name, ms, share } of times(profile, mode).slice(0, Number(top)))
    console.log(
      `${(share * 100).toFixed(1).padStart(5)} %  ${ms.toFixed(0).padStart(7)} ms  ${name}`,
    );
}
