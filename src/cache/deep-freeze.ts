/**
 * Freezes a value and everything reachable from it, so a caller cannot mutate a cached copy
 * (in strict mode the attempt throws instead of silently corrupting the cache for everyone).
 * Typed arrays and Buffers are skipped (they cannot be frozen); a Date's own properties are
 * frozen but its time can still be changed with setTime(): callers must treat values as read-only.
 */
export function deepFreeze<T>(value: T): T {
  freeze(value, new WeakSet<object>());
  return value;
}

function freeze(value: unknown, seen: WeakSet<object>): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return;
  seen.add(value);
  for (const key of Reflect.ownKeys(value)) {
    freeze((value as Record<PropertyKey, unknown>)[key], seen);
  }
  Object.freeze(value);
}
