import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../../common/auth/caller.js';
import { CurrentCaller } from '../../common/auth/current-caller.decorator.js';
import { ApiErrorResponses, PAGE_ROUTE_ERRORS } from '../../common/http/api-error-responses.js';
import { OPENAPI_SECURITY } from '../../common/http/openapi.js';
import type { CustomerView } from '../../customers/customer-view.js';
import { Customer } from '../../customers/models/customer.model.js';
import { withVisibleNotes } from '../../customers/note-visibility.js';
import { SearchCustomersQuery } from '../dto/products.query.js';
import { CustomerSearchService } from './customer-search.service.js';

class CustomerSearchResult {
  @ApiProperty({ type: () => [Customer] })
  nodes: CustomerView[];
}

@ApiTags('data products')
@ApiBearerAuth(OPENAPI_SECURITY)
@ApiErrorResponses(...PAGE_ROUTE_ERRORS)
@Controller('v1/customers/search')
export class CustomerSearchController {
  constructor(private readonly search: CustomerSearchService) {}

  @Get()
  @ApiOperation({
    summary:
      "Customers by phone (any spelling) or name start (no case, no accents) across the key's pages, from the mirror",
  })
  @ApiOkResponse({ type: CustomerSearchResult })
  async find(
    @CurrentCaller() caller: Caller,
    @Query() query: SearchCustomersQuery,
  ): Promise<CustomerSearchResult> {
    const nodes = await this.search.search(caller, {
      phone: query.phone,
      name: query.name,
      pageIds: query.pageIds === undefined ? null : query.pageIds.split(','),
      limit: query.limit as number | undefined,
    });
    return { nodes: nodes.map((customer) => withVisibleNotes(customer, false)) };
  }
}
