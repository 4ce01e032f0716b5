import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInMemory } from './embedded-template.js';

describe('in-memory databases from the empty template', () => {
  let dir: string;
  let template: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pglite-template-'));
    template = join(dir, 'empty.tar');
  });

  afterAll(() => rm(dir, { recursive: true, force: true }));

  const tables = async (db: Awaited<ReturnType<typeof createInMemory>>) =>
    (
      await db.query<{ name: string }>(
        `select tablename as name from pg_tables where schemaname = 'public'`,
      )
    ).rows.map((r) => r.name);

  it('dumps the first one while still empty, and starts the next from it, empty too', async () => {
    const first = await createInMemory({}, template);
    await first.query('create table written_by_first (a int)');
    expect((await stat(template)).size).toBeGreaterThan(0);
    const dump = await readFile(template);
    const second = await createInMemory({}, template);
    expect(await tables(second)).toEqual([]);
    await second.query('create table t (a int)');
    await second.query('insert into t values (1)');
    expect((await second.query<{ a: number }>('select a from t')).rows).toEqual([{ a: 1 }]);
    expect((await readFile(template)).equals(dump)).toBe(true); // not rewritten
    await first.close();
    await second.close();
  }, 60_000);

  it('replaces a dump that does not load with a fresh one', async () => {
    await writeFile(template, 'not a data directory');
    const db = await createInMemory({}, template);
    expect(await tables(db)).toEqual([]);
    expect((await stat(template)).size).toBeGreaterThan(1_000_000);
    await db.close();
  }, 60_000);
});
