import { Injectable, Logger, Module, type OnApplicationBootstrap } from '@nestjs/common';
import { GatewayConfig } from '../config/gateway-config.js';
import { MirrorModule } from '../mirror/mirror.module.js';
import { PancakeModule } from '../pancake/pancake.module.js';
import { CustomerExportController } from './export/customer-export.controller.js';
import { CustomerExportService } from './export/customer-export.service.js';
import { ProductPages } from './product-pages.js';
import { ProductsStore } from './products.store.js';
import { CustomerSearchController } from './search/customer-search.controller.js';
import { CustomerSearchResolver } from './search/customer-search.resolver.js';
import { CustomerSearchService } from './search/customer-search.service.js';
import { NewCustomerCountsController } from './stats/new-customer-counts.controller.js';
import { NewCustomerCountsResolver } from './stats/new-customer-counts.resolver.js';
import { NewCustomerCountsService } from './stats/new-customer-counts.service.js';

/** Rows mirrored before the search keys existed get them at boot, in the background. */
@Injectable()
class SearchKeysFill implements OnApplicationBootstrap {
  private readonly logger = new Logger('Products');

  constructor(
    private readonly config: GatewayConfig,
    private readonly store: ProductsStore,
  ) {}

  onApplicationBootstrap(): void {
    // Only where a mirror is in use: a process that mirrors nothing never opens a database.
    if (this.config.database.url === null && this.config.mirror.pages.length === 0) return;
    this.store.fillSearchKeys().catch((error: unknown) => {
      this.logger.warn({ msg: 'Search keys not filled', error: (error as Error).message });
    });
  }
}

/** Data products over the mirror: export, search across pages, new-customer counts. */
@Module({
  imports: [MirrorModule, PancakeModule],
  providers: [
    ProductsStore,
    ProductPages,
    SearchKeysFill,
    CustomerExportService,
    CustomerSearchService,
    CustomerSearchResolver,
    NewCustomerCountsService,
    NewCustomerCountsResolver,
  ],
  controllers: [CustomerExportController, CustomerSearchController, NewCustomerCountsController],
})
export class ProductsModule {}
