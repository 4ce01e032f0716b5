import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { DatabaseTables } from './database-tables.js';
import { createInMemory } from './embedded-template.js';

export type Database = Kysely<DatabaseTables>;

/** Where the mirror lives: a PostgreSQL server, or PGlite in a directory or in memory. */
export interface DatabaseLocation {
  url: string | null;
  dataDir: string;
}

const INT8 = 20;
// Counters and cursors fit in 2^53; numbers are simpler than strings everywhere above.
const toNumber = (text: string): number => Number(text);

/** A Kysely over the configured database. PGlite starts on the first query, not here. */
export function createDatabase(location: DatabaseLocation): Database {
  if (location.url) {
    const pool = new pg.Pool({
      connectionString: location.url,
      max: 10,
      // A replica must not hang on a dead server: fail the query, keep serving upstream reads.
      connectionTimeoutMillis: 5000,
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8
            ? toNumber
            : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
      },
    });
    // A dropped connection (server restart, database dropped) must not crash the process: idle
    // clients report to the pool, checked-out ones to their own listener; the next query on
    // such a client fails and the pool replaces it.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    return new Kysely<DatabaseTables>({ dialect: new PostgresDialect({ pool }) });
  }
  const options = { parsers: { [INT8]: toNumber } };
  const dataDir = location.dataDir;
  return new Kysely<DatabaseTables>({
    dialect: new PGliteDialect({
      pglite: () =>
        dataDir === ':memory:' ? createInMemory(options) : PGlite.create(dataDir, options),
    }),
  });
}
