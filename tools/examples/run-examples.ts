// Runs every file of examples/ against a live gateway and checks each answer: the expected
// HTTP status (.http) or data without errors / the expected error code (.graphql).
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  parseGraphqlFile,
  parseHttpFile,
  substitute,
  valueAt,
  type Capture,
} from './example-files.js';

export interface ExampleResult {
  /** `examples/rest/notes.http: Create a note` */
  name: string;
  ok: boolean;
  detail: string;
}

export interface ExampleTarget {
  baseUrl: string;
  key: string;
  /** Values every example may use: pageId, customerId, psid, since, until, ... */
  variables: Record<string, string>;
}

/** Values for the GraphQL operations' variables, by name (strings come from the target). */
const GRAPHQL_VALUES: Record<string, unknown> = {
  changes: { name: 'Nguyễn Văn An', gender: 'MALE', birthday: '1990-05-12' },
  phoneNumbers: ['090 123-4567'],
  phone: '090 123-4567',
  message: 'VIP: call back before noon',
};

function filesUnder(dir: string, extension: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith(extension))
    .sort()
    .map((file) => join(dir, file));
}

function capture(captures: Capture[], json: unknown, variables: Record<string, string>): void {
  for (const { variable, path } of captures) {
    const value = valueAt(json, path);
    if (typeof value === 'string') variables[variable] = value;
  }
}

async function runHttpFile(
  path: string,
  target: ExampleTarget,
  name: string,
): Promise<ExampleResult[]> {
  const file = parseHttpFile(readFileSync(path, 'utf8'));
  // The file's own values are for a person at localhost:3000; the run's win.
  const variables: Record<string, string> = {
    ...file.variables,
    ...target.variables,
    baseUrl: target.baseUrl,
  };
  if ('key' in file.variables) variables.key = target.key;
  const results: ExampleResult[] = [];
  for (const request of file.requests) {
    const label = `${name}: ${request.title}`;
    try {
      const response = await fetch(substitute(request.url, variables), {
        method: request.method,
        redirect: 'manual',
        headers: request.headers.map(([header, value]): [string, string] => [
          header,
          substitute(value, variables),
        ]),
        body: request.body === undefined ? undefined : substitute(request.body, variables),
      });
      const text = await response.text();
      const expected = request.expectStatus;
      const ok = expected === undefined ? response.ok : response.status === expected;
      if (ok && request.captures.length > 0) capture(request.captures, JSON.parse(text), variables);
      results.push({
        name: label,
        ok,
        detail: `${response.status}${ok ? '' : ` (expected ${expected ?? '2xx'}): ${text.slice(0, 300)}`}`,
      });
    } catch (error) {
      results.push({ name: label, ok: false, detail: String(error) });
    }
  }
  // Later files see what this one captured (a note id for the next steps).
  Object.assign(target.variables, pick(variables, Object.keys(target.variables)));
  return results;
}

function pick(from: Record<string, string>, keys: string[]): Record<string, string> {
  return Object.fromEntries(keys.map((key) => [key, from[key]]));
}

async function runGraphqlFile(
  path: string,
  target: ExampleTarget,
  name: string,
  unique: string,
): Promise<ExampleResult> {
  const example = parseGraphqlFile(readFileSync(path, 'utf8'));
  const values: Record<string, unknown> = {
    ...GRAPHQL_VALUES,
    ...target.variables,
    idempotencyKey: `example-${unique}`,
  };
  const variables = Object.fromEntries(example.variableNames.map((v) => [v, values[v]]));
  try {
    const response = await fetch(`${target.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(example.withoutKey ? {} : { authorization: `Bearer ${target.key}` }),
      },
      body: JSON.stringify({ query: example.query, variables }),
    });
    const body = (await response.json()) as {
      data?: unknown;
      errors?: { message: string; extensions?: { code?: string } }[];
    };
    const codes = (body.errors ?? []).map((e) => e.extensions?.code);
    const ok = example.expectCode
      ? codes.length > 0 && codes.every((code) => code === example.expectCode)
      : codes.length === 0 && body.data !== undefined && body.data !== null;
    if (ok) capture(example.captures, body.data, target.variables);
    const got = codes.length > 0 ? codes.join(',') : 'data';
    return {
      name,
      ok,
      detail: `${response.status} ${got}${ok ? '' : ` (expected ${example.expectCode ?? 'data'}): ${JSON.stringify(body).slice(0, 300)}`}`,
    };
  } catch (error) {
    return { name, ok: false, detail: String(error) };
  }
}

/** Every example under `dir` (graphql/ then rest/, files in name order), in one pass. */
export async function runExamples(dir: string, target: ExampleTarget): Promise<ExampleResult[]> {
  const results: ExampleResult[] = [];
  const name = (path: string) => relative(join(dir, '..'), path);
  let n = 0;
  for (const path of filesUnder(join(dir, 'graphql'), '.graphql')) {
    // A subscription speaks graphql-ws, not POST: the change-feed suites and the dashboard's
    // browser suite run it.
    if (/^subscription\b/m.test(readFileSync(path, 'utf8'))) continue;
    results.push(await runGraphqlFile(path, target, name(path), `${Date.now()}-${n++}`));
  }
  for (const path of filesUnder(join(dir, 'rest'), '.http'))
    results.push(...(await runHttpFile(path, target, name(path))));
  return results;
}
