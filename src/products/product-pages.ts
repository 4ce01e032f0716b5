import { Injectable } from '@nestjs/common';
import type { Caller } from '../common/auth/caller.js';
import { accessRefusal, assertPageAccess } from '../common/auth/page-access.js';
import { GatewayError } from '../common/errors/gateway-error.js';
import { GatewayConfig } from '../config/gateway-config.js';
import { syncNotReady } from '../mirror/mirror-errors.js';
import { MirrorService } from '../mirror/mirror.service.js';
import { assertPageId } from '../pancake/path-segments.js';

/** Most pages one search may name. */
export const SEARCH_MAX_PAGE_IDS = 100;

/** Which pages a data product may read for a caller, and whether a page's mirror is complete. */
@Injectable()
export class ProductPages {
  constructor(
    private readonly config: GatewayConfig,
    private readonly mirror: MirrorService,
  ) {}

  /**
   * The pages a search covers: the named ones (each checked: 403 outside the key's pages, 404
   * when not configured), or every configured page the key may read.
   */
  readable(caller: Caller, pageIds: readonly string[] | null | undefined): string[] {
    if (pageIds === null || pageIds === undefined)
      return [...this.config.pancake.pageTokens.keys()].filter(
        (page) => accessRefusal(caller, page, 'read') === null,
      );
    if (pageIds.length === 0 || pageIds.length > SEARCH_MAX_PAGE_IDS)
      throw GatewayError.badInput([
        { field: 'pageIds', rule: `must name 1 to ${SEARCH_MAX_PAGE_IDS} pages` },
      ]);
    const pages = [...new Set(pageIds)];
    for (const page of pages) this.assertReadable(caller, page, 'pageIds');
    return pages;
  }

  /** A page whose mirror is complete (LIVE), readable by the caller; 409 SYNC_NOT_READY otherwise. */
  async live(caller: Caller, pageId: string): Promise<void> {
    this.assertReadable(caller, pageId, 'pageId');
    const status = await this.mirror.status(pageId);
    if (status.state !== 'LIVE') throw syncNotReady(status);
  }

  private assertReadable(caller: Caller, pageId: string, field: string): void {
    assertPageId(pageId, field);
    assertPageAccess(caller, pageId, 'read', this.config.pancake.pageTokens.has(pageId));
  }
}
