// Injected faults: a queue consumed in order, each answering `count` matching requests.
import type { FaultKind, FaultOperation, FaultSpec } from './types.js';

const KINDS: readonly FaultKind[] = ['status', 'success-false', 'latency', 'reset'];
const OPERATIONS: readonly FaultOperation[] = [
  'list',
  'update',
  'note_create',
  'note_update',
  'note_delete',
  'avatar',
];

export interface PendingFault {
  spec: FaultSpec;
  remaining: number;
}

export class FaultQueue {
  private queue: PendingFault[] = [];

  add(spec: FaultSpec): void {
    const problem = faultProblem(spec);
    if (problem) throw new Error(`Invalid fault: ${problem}`);
    this.queue.push({ spec: { ...spec }, remaining: spec.count });
  }

  clear(): void {
    this.queue = [];
  }

  /** The first pending fault matching the request, with one use consumed; avatar only when named. */
  take(pageId: string, operation: FaultOperation, customerId = ''): FaultSpec | undefined {
    const index = this.queue.findIndex(
      ({ spec }) =>
        (spec.pageId === undefined || spec.pageId === pageId) &&
        (spec.customerId === undefined || spec.customerId === customerId) &&
        (spec.operation === undefined ? operation !== 'avatar' : spec.operation === operation),
    );
    if (index < 0) return undefined;
    const pending = this.queue[index]!;
    pending.remaining -= 1;
    if (pending.remaining <= 0) this.queue.splice(index, 1);
    return pending.spec;
  }

  pending(): PendingFault[] {
    return this.queue.map((p) => ({ spec: { ...p.spec }, remaining: p.remaining }));
  }
}

/** Why a fault spec (possibly from JSON) is unusable, or undefined when it is fine. */
export function faultProblem(input: unknown): string | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    return 'must be an object';
  const spec = input as Record<string, unknown>;
  if (!KINDS.includes(spec.kind as FaultKind)) return `kind must be one of ${KINDS.join(', ')}`;
  if (!Number.isInteger(spec.count) || (spec.count as number) < 1)
    return 'count must be an integer >= 1';
  if (spec.pageId !== undefined && typeof spec.pageId !== 'string')
    return 'pageId must be a string';
  if (spec.customerId !== undefined && typeof spec.customerId !== 'string')
    return 'customerId must be a string';
  if (spec.operation !== undefined && !OPERATIONS.includes(spec.operation as FaultOperation))
    return `operation must be one of ${OPERATIONS.join(', ')}`;
  if (
    spec.status !== undefined &&
    !(
      Number.isInteger(spec.status) &&
      (spec.status as number) >= 200 &&
      (spec.status as number) <= 599
    )
  )
    return 'status must be an HTTP status 200..599';
  for (const key of ['errorCode', 'latencyMs', 'retryAfterSeconds'] as const) {
    const value = spec[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value >= 0))
      return `${key} must be a number >= 0`;
  }
  if (spec.afterAction !== undefined && typeof spec.afterAction !== 'boolean')
    return 'afterAction must be a boolean';
  return undefined;
}
