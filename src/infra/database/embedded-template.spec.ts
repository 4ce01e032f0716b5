import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInMemory } from './embedded-template.js';

type Embedded = Awaited<ReturnType<typeof createInMemory>>;

const tables = async (db: Embedded): Promise<string[]> =>
  (
    await db.query<{ name: string }>(
      `select tablename as name from pg_tables where schemaname = 'public'`,
    )
  ).rows.map((row) => row.name);

// One initdb for the whole spec (it takes seconds): the torn dump is replaced by the first
// database's, and the second database starts from that.
it('replaces a dump that does not load, dumps the first database empty, starts the next from it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'pglite-template-'));
  const template = join(dir, 'empty.tar');
  try {
    await writeFile(template, 'not a data directory');
    const first = await createInMemory({}, template);
    await first.query('create table written_by_first (a int)');
    const dump = await readFile(template);
    expect(dump.byteLength).toBeGreaterThan(1_000_000);
    const second = await createInMemory({}, template);
    expect(await tables(second)).toEqual([]);
    await second.query('create table t (a int)');
    await second.query('insert into t values (1)');
    expect((await second.query<{ a: number }>('select a from t')).rows).toEqual([{ a: 1 }]);
    expect((await readFile(template)).equals(dump)).toBe(true); // loaded, not made again
    await first.close();
    await second.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}, 90_000);
