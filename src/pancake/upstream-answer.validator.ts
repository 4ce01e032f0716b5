// Checks an upstream answer against its schema (pancake.raw.ts) before anything uses or
// caches it, and describes what was wrong in a bounded way: paths, rules and short samples
// for one log line, never the whole body.
import { z } from 'zod';
import { RawListResponseSchema, type RawListResponse } from './pancake.raw.js';

const MAX_PROBLEMS = 5;
const MAX_SAMPLE_CHARS = 40;
const MAX_KEYS_SHOWN = 8;
const MAX_KEY_CHARS = 24;

/** One thing wrong: where (`customers[3].id`), which rule, and a short sample of the value. */
export interface AnswerProblem {
  path: string;
  rule: string;
  got?: string;
}

export interface RefusedAnswer {
  ok: false;
  /** The first MAX_PROBLEMS problems found. */
  problems: AnswerProblem[];
  /** How many more were found. */
  more: number;
  /** The top-level keys and their kinds, e.g. `{total: string, customers: object}`. */
  shape: string;
}

export type CheckedAnswer<T> = { ok: true; value: T } | RefusedAnswer;

// Compiled ahead of time: valid answers (every cold read) take zod's generated fast path.
const listAnswerSchema = z.compile(RawListResponseSchema);

/** A list answer as the mapper may consume it, or what was wrong with it. */
export function checkListAnswer(body: unknown): CheckedAnswer<RawListResponse> {
  const result = listAnswerSchema.safeParse(body, { reportInput: true });
  if (result.success) return { ok: true, value: result.data };
  return refused(result.error.issues, body);
}

/** `path: rule (got sample)` for a log line. */
export function formatProblem(problem: AnswerProblem): string {
  const where = problem.path === '' ? '(answer)' : problem.path;
  return `${where}: ${problem.rule}${problem.got === undefined ? '' : ` (got ${problem.got})`}`;
}

function refused(issues: readonly z.core.$ZodIssue[], body: unknown): RefusedAnswer {
  const problems = issues.slice(0, MAX_PROBLEMS).map((issue) => ({
    path: formatPath(issue.path),
    rule: issue.message,
    // A missing field says so in its rule; a present one shows what it held.
    ...('input' in issue && issue.input !== undefined ? { got: sample(issue.input) } : {}),
  }));
  return { ok: false, problems, more: issues.length - problems.length, shape: shapeOf(body) };
}

function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += `${text === '' ? '' : '.'}${truncate(String(key), MAX_KEY_CHARS)}`;
  }
  return text;
}

/** A short description of a value: short scalars as JSON, containers by kind and size. */
function sample(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(truncate(value, MAX_SAMPLE_CHARS));
  if (Array.isArray(value)) return `array(${value.length})`;
  if (value !== null && typeof value === 'object') return `object{${keysOf(value)}}`;
  return String(value);
}

function shapeOf(body: unknown): string {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return kindOf(body);
  const entries = Object.entries(body);
  const shown = entries
    .slice(0, MAX_KEYS_SHOWN)
    .map(([key, value]) => `${truncate(key, MAX_KEY_CHARS)}: ${kindOf(value)}`);
  const more = entries.length > MAX_KEYS_SHOWN ? `, +${entries.length - MAX_KEYS_SHOWN}` : '';
  return `{${shown.join(', ')}${more}}`;
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `array(${value.length})`;
  return typeof value;
}

function keysOf(value: object): string {
  const keys = Object.keys(value);
  const shown = keys.slice(0, MAX_KEYS_SHOWN).map((k) => truncate(k, MAX_KEY_CHARS));
  return keys.length > MAX_KEYS_SHOWN
    ? `${shown.join(',')},+${keys.length - MAX_KEYS_SHOWN}`
    : shown.join(',');
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
