import { createHash } from 'node:crypto';

/**
 * sha256 (hex) of the canonical JSON of value: object keys sorted at every depth, otherwise
 * JSON.stringify rules (toJSON honoured, so Dates hash as ISO strings; undefined members dropped).
 */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  const plain =
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
      ? (value as { toJSON(): unknown }).toJSON()
      : value;
  if (Array.isArray(plain)) return plain.map(sortKeys);
  if (plain === null || typeof plain !== 'object') return plain;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(plain).sort())
    sorted[key] = sortKeys((plain as Record<string, unknown>)[key]);
  return sorted;
}
