import { Injectable } from '@nestjs/common';
import type { Caller } from '../common/auth/caller.js';
import { assertPageAccess, type Access } from '../common/auth/page-access.js';
import { PancakeClient } from '../pancake/pancake.client.js';
import { assertCustomerId, assertPageId } from '../pancake/path-segments.js';

/** Checks ids and page access before any work: bad input never reaches the cache or upstream. */
@Injectable()
export class PageGuard {
  constructor(private readonly pancake: PancakeClient) {}

  page(caller: Caller, pageId: string, access: Access): void {
    assertPageId(pageId);
    assertPageAccess(caller, pageId, access, this.pancake.hasPage(pageId));
  }

  customer(caller: Caller, pageId: string, customerId: string, access: Access, field = 'id'): void {
    assertPageId(pageId);
    assertCustomerId(customerId, field);
    assertPageAccess(caller, pageId, access, this.pancake.hasPage(pageId));
  }
}
