/**
 * The mirror's databases for e2e suites: embedded PGlite in memory, or a PostgreSQL server
 * (127.0.0.1:5432, trust auth) where each suite gets a database of its own, created from the
 * `test` database before the suite and dropped after it.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export type DatabaseKind = 'pglite' | 'postgresql';

/** The server's `test` database: where suites create and drop their own (as global-setup.ts). */
export const TEST_POSTGRES_URL =
  process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

/** Set by test/support/global-setup.ts after probing PostgreSQL once per run. */
export const postgresAvailable = process.env.PGW_TEST_POSTGRES === '1';

async function onTestDatabase<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh database on the server; returns its URL and how to drop it. */
export async function createPostgresDatabase(
  label = 'mirror',
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${label}_${randomBytes(6).toString('hex')}`;
  await onTestDatabase((client) => client.query(`create database ${name}`));
  const url = new URL(TEST_POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    // FORCE: a replica killed with SIGKILL may leave a session the server has not reaped yet.
    drop: () =>
      onTestDatabase((client) => client.query(`drop database if exists ${name} with (force)`)).then(
        () => undefined,
      ),
  };
}

/** The gateway environment for one suite on one database; `env` is filled by beforeAll. */
export interface SuiteDatabase {
  kind: DatabaseKind;
  /** DATA_DIR=:memory: (PGlite) or DATABASE_URL (a database of this suite's own). */
  env: Record<string, string>;
}

/** Registers beforeAll/afterAll that create and drop the suite's database. */
export function suiteDatabase(kind: DatabaseKind, label = 'mirror'): SuiteDatabase {
  const database: SuiteDatabase = { kind, env: {} };
  let drop: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    if (kind === 'pglite') {
      database.env = { DATA_DIR: ':memory:' };
      return;
    }
    const created = await createPostgresDatabase(label);
    drop = created.drop;
    database.env = { DATABASE_URL: created.url };
  });
  afterAll(async () => {
    await drop?.();
  });
  return database;
}

/**
 * describe.each over both databases: `body` runs once on PGlite and once on PostgreSQL (skipped
 * with global-setup's banner when no server answers, except under CI=true, which fails instead).
 */
export function describeOnDatabases(
  name: string,
  body: (database: SuiteDatabase) => void,
  kinds: readonly DatabaseKind[] = ['pglite', 'postgresql'],
): void {
  describe.each(kinds.map((kind) => [kind]))(`${name} (%s)`, (kind) => {
    const run = kind === 'postgresql' && !postgresAvailable ? describe.skip : describe;
    run(kind, () => body(suiteDatabase(kind)));
  });
}
