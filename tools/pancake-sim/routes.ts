// URL layout of the simulator and the classification of a request path into an operation.
import type { Operation } from './types.js';

export const API_PREFIX = '/api/public_api/v1';
export const AVATAR_PREFIX = '/api/v1';
export const CONTROL_PREFIX = '/__sim';

export type Route =
  | { kind: 'api'; operation: Operation; pageId: string; customerId: string }
  | { kind: 'avatar'; pageId: string; psid: string }
  | { kind: 'control'; segments: string[] }
  | { kind: 'none' };

/** Splits `/a/b%2Fc` into ['a', 'b/c']; undefined when a segment is not valid percent-encoding. */
export function segmentsOf(path: string): string[] | undefined {
  try {
    return path.split('/').slice(1).map(decodeURIComponent);
  } catch {
    return undefined;
  }
}

export function matchRoute(method: string, path: string): Route {
  if (path === CONTROL_PREFIX || path.startsWith(`${CONTROL_PREFIX}/`))
    return { kind: 'control', segments: segmentsOf(path.slice(CONTROL_PREFIX.length)) ?? [] };
  if (path === API_PREFIX || path.startsWith(`${API_PREFIX}/`))
    return apiRoute(method, segmentsOf(path.slice(API_PREFIX.length)));
  if (path.startsWith(`${AVATAR_PREFIX}/`)) {
    const s = segmentsOf(path.slice(AVATAR_PREFIX.length));
    if (
      method === 'GET' &&
      s?.length === 4 &&
      s[0] === 'pages' &&
      s[2] === 'avatar' &&
      s[1] &&
      s[3]
    )
      return { kind: 'avatar', pageId: s[1], psid: s[3] };
  }
  return { kind: 'none' };
}

function apiRoute(method: string, s: string[] | undefined): Route {
  const pageId = s?.[0] === 'pages' ? (s[1] ?? '') : '';
  const unknown: Route = { kind: 'api', operation: 'unknown', pageId, customerId: '' };
  if (!s || s[0] !== 'pages' || !pageId || s[2] !== 'page_customers') return unknown;
  if (s.length === 3) return method === 'GET' ? { ...unknown, operation: 'list' } : unknown;
  const customerId = s[3] ?? '';
  if (!customerId) return unknown;
  if (s.length === 4)
    return method === 'PUT' ? { ...unknown, operation: 'update', customerId } : unknown;
  if (s.length !== 5 || s[4] !== 'notes') return unknown;
  const operation = ({ POST: 'note_create', PUT: 'note_update', DELETE: 'note_delete' } as const)[
    method as 'POST' | 'PUT' | 'DELETE'
  ];
  return operation ? { ...unknown, operation, customerId } : unknown;
}
