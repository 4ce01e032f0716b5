import { Injectable } from '@nestjs/common';
import { DatabaseService } from '../infra/database/database.service.js';
import { WindowIndex, type WindowStamps } from './window-index.js';

interface PageIndex {
  index: WindowIndex;
  /** Every row change up to this page version is in `index` (some later ones may be too). */
  version: number;
}

/**
 * Each page's window index, loaded on its first mirrored list and then brought up to the
 * version a read asks for by reading only the rows changed since (changed_version). Rows never
 * leave the mirror, so new and changed rows are all there is to read.
 */
@Injectable()
export class WindowIndexStore {
  private readonly pages = new Map<string, PageIndex>();
  private readonly loading = new Map<string, Promise<PageIndex>>();

  constructor(private readonly database: DatabaseService) {}

  /** The page's index as of `version` or later (the version a read took first). */
  async at(pageId: string, version: number): Promise<WindowIndex> {
    for (;;) {
      const known = this.pages.get(pageId);
      if (known && known.version >= version) return known.index;
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
    known: PageIndex | undefined,
    version: number,
  ): Promise<PageIndex> {
    const db = await this.database.db();
    let query = db
      .selectFrom('mirror_customers')
      .select(['id', 'inserted_at', 'updated_at', 'changed_version'])
      .where('page_id', '=', pageId);
    // The version was read (committed) before this query: every change up to it is visible.
    if (known) query = query.where('changed_version', '>', known.version);
    const rows: WindowStamps[] = (await query.execute()).map((row) => ({
      id: row.id,
      insertedAt: row.inserted_at?.getTime() ?? null,
      updatedAt: row.updated_at?.getTime() ?? null,
      version: Number(row.changed_version),
    }));
    if (!known) return { index: new WindowIndex(rows), version };
    known.index.update(rows);
    return { index: known.index, version };
  }
}
