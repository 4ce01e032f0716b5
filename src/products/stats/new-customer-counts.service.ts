import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/auth/caller.js';
import { ProductPages } from '../product-pages.js';
import { ProductsStore } from '../products.store.js';
import {
  addCounts,
  bucketCounts,
  bucketEdges,
  checkCountWindow,
  slotBucketCounts,
  slotDays,
  slotSpan,
  type BucketCount,
  type CountWindow,
} from './count-buckets.policy.js';

const NONE: ReadonlyMap<number, number> = new Map();

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
    return bucketCounts(edges, await this.counted(pageId, window, edges));
  }

  /**
   * The slot counts for the 15-minute-aligned interior (one row a UTC day), the rows themselves
   * for the ragged ends; every row when a bucket edge is off the slots.
   */
  private async counted(
    pageId: string,
    { since, until }: CountWindow,
    edges: readonly Date[],
  ): Promise<ReadonlyMap<number, number>> {
    const span = slotSpan(since, until, edges);
    if (span === null) return this.store.countInserted(pageId, since, until, edges);
    const { fromDay, toDay } = slotDays(span);
    const [slots, head, tail] = await Promise.all([
      this.store.insertedSlots(pageId, fromDay, toDay),
      since < span.from ? this.store.countInserted(pageId, since, span.from, edges) : NONE,
      span.to < until ? this.store.countInserted(pageId, span.to, until, edges) : NONE,
    ]);
    return addCounts(slotBucketCounts(edges, span, slots), head, tail);
  }
}
