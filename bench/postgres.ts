// A database of its own on the bench's PostgreSQL server, for one bench, dropped after.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Row } from './types.js';

export const ADMIN_URL =
  process.env.BENCH_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export interface BenchDatabase {
  /** Connection string of the new database (no password: the server trusts local clients). */
  url: string;
  drop(): Promise<void>;
}

async function onServer(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}

/** Throws when the server does not answer (the bench then reports its rows as not run). */
export async function freshPostgresDatabase(prefix: string): Promise<BenchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await onServer(`create database ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => onServer(`drop database if exists ${name} with (force)`),
  };
}

/** The row a bench reports when the server did not answer: failed, with the reason. */
export function postgresUnreachable(bench: string, error: unknown): Row {
  const reason = error instanceof Error ? error.message : String(error);
  return {
    bench,
    figure: `not run: PostgreSQL unreachable at ${ADMIN_URL} (${reason})`,
    baseline: '',
    ratio: '',
    target: '',
    met: false,
  };
}
