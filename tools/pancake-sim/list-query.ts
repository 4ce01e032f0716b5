// Validation of the list query string, with upstream's rules and 400 answers.
import type { RawOrderBy } from './raw-shapes.js';
import type { ListQuery } from './store.js';

export const DEFAULT_PAGE_SIZE = 30;
export const MAX_PAGE_SIZE = 100;

const INTEGER = /^\d+$/;

export type ParsedList = { ok: true; query: ListQuery } | { ok: false; message: string };

export function parseListQuery(params: URLSearchParams): ParsedList {
  const since = integer(params.get('since'));
  if (since === undefined) return bad('since is required and must be an integer (Unix seconds)');
  const until = integer(params.get('until'));
  if (until === undefined) return bad('until is required and must be an integer (Unix seconds)');
  const pageNumber = integer(params.get('page_number'));
  if (pageNumber === undefined || pageNumber < 1)
    return bad('page_number is required and must be an integer >= 1');
  const rawSize = params.get('page_size');
  const pageSize = rawSize === null ? DEFAULT_PAGE_SIZE : integer(rawSize);
  if (pageSize === undefined || pageSize < 1 || pageSize > MAX_PAGE_SIZE)
    return bad(`page_size must be an integer from 1 to ${MAX_PAGE_SIZE}`);
  const orderBy = params.get('order_by') ?? 'inserted_at';
  if (orderBy !== 'inserted_at' && orderBy !== 'updated_at')
    return bad('order_by must be inserted_at or updated_at');
  return {
    ok: true,
    query: {
      orderBy: orderBy as RawOrderBy,
      since,
      until,
      offset: (pageNumber - 1) * pageSize,
      limit: pageSize,
    },
  };
}

function integer(text: string | null): number | undefined {
  if (text === null || !INTEGER.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

function bad(message: string): ParsedList {
  return { ok: false, message };
}
