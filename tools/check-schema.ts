// `npm run schema:check`: fails when the committed schema.gql is not what the code generates.
// `npm run schema:write` (--write) rewrites it. Boots the built app (dist/): Nest's code-first
// schema needs decorator metadata, which tsx's esbuild does not emit.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import type { GraphQLSchema } from 'graphql';
import { fromDist, ROOT, withDistApp } from './dist-app.js';

const SCHEMA_FILE = join(ROOT, 'schema.gql');

async function generatedSchema(): Promise<string> {
  const { schemaSdl } = await fromDist<{ schemaSdl(schema: GraphQLSchema): string }>(
    'common/graphql/schema-sdl.js',
  );
  return withDistApp((app) => schemaSdl(app.get(GraphQLSchemaHost).schema));
}

/** The first differing line, 1-based, with both versions of it. */
function firstDifference(committed: string, generated: string): string {
  const a = committed.split('\n');
  const b = generated.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `line ${at + 1}:\n  committed: ${a[at] ?? '(end of file)'}\n  generated: ${b[at] ?? '(end of file)'}`;
}

async function main(): Promise<void> {
  const generated = await generatedSchema();
  if (process.argv.includes('--write')) {
    await writeFile(SCHEMA_FILE, generated);
    console.log(`wrote ${SCHEMA_FILE}`);
    return;
  }
  const committed = existsSync(SCHEMA_FILE) ? await readFile(SCHEMA_FILE, 'utf8') : '';
  if (committed === generated) {
    console.log('schema.gql is up to date');
    return;
  }
  console.error(
    `schema.gql differs from the schema the code generates, first at ${firstDifference(committed, generated)}`,
  );
  console.error(
    'If the change is intended (and keeps the gateway contract), run `npm run schema:write` and commit it.',
  );
  process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
