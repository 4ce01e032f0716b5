import { Injectable } from '@nestjs/common';
import type { Caller } from '../../common/auth/caller.js';
import { GatewayConfig } from '../../config/gateway-config.js';
import type { CustomerView } from '../../customers/customer-view.js';
import { PancakeClient } from '../../pancake/pancake.client.js';
import { ProductPages } from '../product-pages.js';
import { ProductsStore } from '../products.store.js';
import { searchTermsOf, type SearchInput } from './search-input.policy.js';

export interface SearchRequest extends SearchInput {
  pageIds?: string[] | null;
}

/**
 * Customers by phone or name across the caller's pages, from the mirror (what it holds now,
 * whatever each page's sync state). Every result carries globalCustomerId, so the same person
 * on two pages shows as one.
 */
@Injectable()
export class CustomerSearchService {
  constructor(
    private readonly config: GatewayConfig,
    private readonly pages: ProductPages,
    private readonly store: ProductsStore,
    private readonly pancake: PancakeClient,
  ) {}

  async search(
    caller: Caller,
    request: SearchRequest,
    limitField = 'limit',
  ): Promise<CustomerView[]> {
    const terms = searchTermsOf(request, this.config.phoneDefaultRegion, limitField);
    const pageIds = this.pages.readable(caller, request.pageIds);
    const records = await this.store.search({ pageIds, ...terms });
    return records.map((record) => ({
      ...record,
      avatarUrl: this.pancake.avatarUrl(record.pageId, record.psid),
    }));
  }
}
