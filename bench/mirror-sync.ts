// Polling a gateway's sync status until a mirrored page is LIVE (the mirror benches).
import { AUTH } from './gateway-requests.js';
import type { RunningProcess } from './processes.js';
import { sleep } from './stats.js';

export interface SyncStatusBody {
  state: string;
  customers: number;
  backfillProgress: number | null;
}

export async function syncStatus(gateway: RunningProcess, pageId: string): Promise<SyncStatusBody> {
  const response = await fetch(`${gateway.url}/v1/pages/${pageId}/sync`, { headers: AUTH });
  if (response.status !== 200)
    throw new Error(`sync status of ${pageId}: ${response.status} ${await response.text()}`);
  return (await response.json()) as SyncStatusBody;
}

export async function untilLive(
  gateway: RunningProcess,
  pageId: string,
  timeoutMs: number,
): Promise<SyncStatusBody> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await syncStatus(gateway, pageId);
    if (status.state === 'LIVE') return status;
    if (status.state === 'FAILED') throw new Error(`page ${pageId} sync FAILED`);
    if (Date.now() > deadline) throw new Error(`page ${pageId} not LIVE within the timeout`);
    await sleep(50);
  }
}
