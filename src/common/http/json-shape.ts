import type { FieldViolation } from '../errors/gateway-error.js';

/** Deeper JSON is refused: no request of the contract nests beyond a few levels. */
export const MAX_JSON_DEPTH = 32;

// Keys that class-transformer and Nest drop silently (prototype members) would bypass the
// "unknown field" refusal, so they are refused by name up front.
const PROTOTYPE_KEYS = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * Walks parsed JSON (iteratively, so depth cannot overflow the stack) and returns the first
 * violation: nesting beyond MAX_JSON_DEPTH, or a key named like an Object.prototype member.
 */
export function jsonShapeViolation(value: unknown, root = 'body'): FieldViolation | null {
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value, path: root, depth: 0 },
  ];
  while (stack.length > 0) {
    const { value: current, path, depth } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) {
      return { field: path, rule: `must not nest deeper than ${MAX_JSON_DEPTH} levels` };
    }
    if (Array.isArray(current)) {
      current.forEach((item, i) =>
        stack.push({ value: item, path: `${path}[${i}]`, depth: depth + 1 }),
      );
      continue;
    }
    for (const key of Object.keys(current)) {
      const child = path === root && root === 'body' ? key : `${path}.${key}`;
      if (PROTOTYPE_KEYS.has(key)) return { field: child, rule: 'is not an accepted field' };
      stack.push({
        value: (current as Record<string, unknown>)[key],
        path: child,
        depth: depth + 1,
      });
    }
  }
  return null;
}
