import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';

/** One empty database per machine: initdb's result, the same for every in-memory database. */
const TEMPLATE_PATH = join(tmpdir(), 'pancake-gateway-pglite-empty.tar');

/**
 * An in-memory PGlite. initdb, run in WebAssembly, takes seconds (3-10 s on a 2-core machine);
 * loading its result takes well under one. So the first in-memory database of a machine dumps
 * itself, still empty, to the temporary directory, and later ones start from that dump. A dump
 * that does not load (another PGlite, a torn file) is replaced by a fresh one.
 */
export async function createInMemory(
  options: PGliteOptions,
  templatePath = TEMPLATE_PATH,
): Promise<PGlite> {
  const template = await readFile(templatePath).catch(() => null);
  if (template) {
    try {
      return await PGlite.create({ ...options, loadDataDir: new Blob([template]) });
    } catch {
      // fall through: made by another PGlite, or incomplete
    }
  }
  const fresh = await PGlite.create(options);
  await saveTemplate(fresh, templatePath).catch(() => undefined); // only a speed-up: never fail a start on it
  return fresh;
}

async function saveTemplate(fresh: PGlite, templatePath: string): Promise<void> {
  const dump = await fresh.dumpDataDir('none');
  // Written aside and renamed: processes starting together never read a half-written dump.
  const partial = `${templatePath}.${randomUUID()}`;
  try {
    await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
    await rename(partial, templatePath);
  } finally {
    await rm(partial, { force: true });
  }
}
