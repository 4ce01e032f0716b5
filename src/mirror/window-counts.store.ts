import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../infra/database/database.service.js';
import { WindowCounts, type WindowStamps } from './window-counts.js';

interface PageCounts {
  counts: WindowCounts;
  /** Every row change up to this page version is in `counts` (some later ones may be too). */
  version: number;
}

/**
 * Each page's window counts, loaded on its first mirrored list and then brought up to the
 * version a read asks for by reading only the rows changed since (changed_version). Rows never
 * leave the mirror, so new and changed rows are all there is to read.
 */
@Injectable()
export class WindowCountsStore {
  private readonly pages = new Map<string, PageCounts>();
  private readonly loading = new Map<string, Promise<PageCounts>>();

  constructor(private readonly database: DatabaseService) {}

  /** The page's counts as of `version` or later (the version a read took before its rows). */
  async at(pageId: string, version: number): Promise<WindowCounts> {
    for (;;) {
      const known = this.pages.get(pageId);
      if (known && known.version >= version) return known.counts;
      const pending = this.loading.get(pageId);
      if (pending) {
        await pending;
        continue;
      }
      const load = this.catchUp(pageId, known, version).finally(() => this.loading.delete(pageId));
      this.loading.set(pageId, load);
      this.pages.set(pageId, await load);
    }
  }

  private async catchUp(
    pageId: string,
    known: PageCounts | undefined,
    version: number,
  ): Promise<PageCounts> {
    const db = await this.database.db();
    let query = db
      .selectFrom('mirror_customers')
      .select(['id', 'inserted_at', 'updated_at'])
      .where('page_id', '=', pageId);
    // The version was read (committed) before this query: every change up to it is visible.
    if (known) query = query.where('changed_version', '>', known.version);
    const rows: WindowStamps[] = (await query.execute()).map((row) => ({
      id: row.id,
      insertedAt: row.inserted_at?.getTime() ?? null,
      updatedAt: row.updated_at?.getTime() ?? null,
    }));
    if (!known) return { counts: new WindowCounts(rows), version };
    known.counts.update(rows);
    return { counts: known.counts, version };
  }
}
