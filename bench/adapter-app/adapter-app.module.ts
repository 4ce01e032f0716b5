// The part of a REST read the HTTP adapter takes part in, built the same way on both adapters:
// route with a path param, the gateway's API-key guard, its query DTO through its validation
// pipe and the list policy, then a 100-customer page serialized to JSON. No cache, no upstream.
import {
  Controller,
  Get,
  Inject,
  Module,
  Param,
  Query,
  UseGuards,
  type DynamicModule,
} from '@nestjs/common';
import { ApiKeyVerifier } from '../../src/common/auth/api-key-verifier.js';
import { ApiKeyGuard } from '../../src/common/auth/api-key.guard.js';
import { GatewayConfig } from '../../src/config/gateway-config.js';
import type { CustomerPageView } from '../../src/customers/customer-view.js';
import { ListCustomersQuery } from '../../src/customers/dto/list-customers.query.js';
import { validateListArgs } from '../../src/customers/list-args.policy.js';

export const PAGE = Symbol('PAGE');

@Controller('v1/pages/:pageId/customers')
@UseGuards(ApiKeyGuard)
class PageController {
  constructor(@Inject(PAGE) private readonly page: CustomerPageView) {}

  @Get()
  list(@Param('pageId') pageId: string, @Query() query: ListCustomersQuery): CustomerPageView {
    validateListArgs(query);
    return { ...this.page, nodes: this.page.nodes.filter((c) => c.pageId === pageId) };
  }
}

/** The smallest guarded answer: what the adapter costs per request on its own. */
@Controller('ping')
@UseGuards(ApiKeyGuard)
class PingController {
  @Get()
  ping(): { ok: true } {
    return { ok: true };
  }
}

@Module({})
export class AdapterAppModule {
  static forRoot(config: GatewayConfig, page: CustomerPageView): DynamicModule {
    return {
      module: AdapterAppModule,
      controllers: [PageController, PingController],
      providers: [
        { provide: GatewayConfig, useValue: config },
        { provide: ApiKeyVerifier, useValue: new ApiKeyVerifier(config.apiKeys) },
        { provide: PAGE, useValue: page },
        ApiKeyGuard,
      ],
    };
  }
}
