import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/auth/caller.js';
import { ProductPages } from '../product-pages.js';
import { ProductsStore } from '../products.store.js';
import {
  bucketCounts,
  bucketEdges,
  checkCountWindow,
  type BucketCount,
  type CountWindow,
} from './count-buckets.policy.js';

/** Customers of a page by insertedAt per day, ISO week or month of a zone, from the mirror. */
@Injectable()
export class NewCustomerCountsService {
  constructor(
    private readonly pages: ProductPages,
    private readonly store: ProductsStore,
  ) {}

  /** Every bucket of [since, until), empty ones too; 409 while the page's mirror is incomplete. */
  async counts(caller: Caller, pageId: string, window: CountWindow): Promise<BucketCount[]> {
    checkCountWindow(window);
    await this.pages.live(caller, pageId);
    const edges = bucketEdges(window);
    const counted = await this.store.countInserted(pageId, window.since, window.until, edges);
    return bucketCounts(edges, counted);
  }
}
