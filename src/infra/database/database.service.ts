import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Migrator, type MigrationProvider } from 'kysely/migration';
import { createDatabase, type Database, type DatabaseLocation } from './database-connection.js';
import { MIGRATIONS } from './migrations.js';

const provider: MigrationProvider = { getMigrations: () => Promise.resolve(MIGRATIONS) };

/**
 * The mirror's database: opened and migrated once, on first use or at boot (see
 * DatabaseModule). A process that never mirrors a page never pays for an embedded PostgreSQL.
 */
@Injectable()
export class DatabaseService implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');
  private opening?: Promise<Database>;
  private database?: Database;

  constructor(private readonly location: DatabaseLocation) {}

  /** 'postgresql' (a server) or 'pglite' (embedded). */
  get kind(): 'postgresql' | 'pglite' {
    return this.location.url ? 'postgresql' : 'pglite';
  }

  /** Whether the database was opened (health checks only what is in use). */
  get opened(): boolean {
    return this.database !== undefined;
  }

  /** The migrated database; opens it on the first call. */
  db(): Promise<Database> {
    this.opening ??= this.open().catch((error: unknown) => {
      this.opening = undefined; // a server that was down may answer the next call
      throw error;
    });
    return this.opening;
  }

  async onApplicationShutdown(): Promise<void> {
    const database = this.database;
    this.database = undefined;
    this.opening = undefined;
    await database?.destroy();
  }

  private async open(): Promise<Database> {
    const database = createDatabase(this.location);
    try {
      const { error, results } = await new Migrator({ db: database, provider }).migrateToLatest();
      if (error) throw error;
      for (const result of results ?? [])
        if (result.status === 'Success')
          this.logger.log({ msg: 'Migration applied', migration: result.migrationName });
    } catch (error) {
      await database.destroy().catch(() => undefined);
      throw error;
    }
    this.database = database;
    return database;
  }
}
