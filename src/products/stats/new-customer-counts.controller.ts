import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../../common/auth/caller.js';
import { CurrentCaller } from '../../common/auth/current-caller.decorator.js';
import { ApiErrorResponses, PAGE_ROUTE_ERRORS } from '../../common/http/api-error-responses.js';
import { ErrorResponse } from '../../common/http/error-response.js';
import { OPENAPI_SECURITY } from '../../common/http/openapi.js';
import { ApiPageIdParam } from '../../customers/dto/path-params.js';
import { NewCustomerCountsQuery } from '../dto/products.query.js';
import { CustomerCount } from '../models/customer-count.model.js';
import type { BucketCount } from './count-buckets.policy.js';
import { NewCustomerCountsService } from './new-customer-counts.service.js';

@ApiTags('data products')
@ApiBearerAuth(OPENAPI_SECURITY)
@ApiPageIdParam()
@ApiErrorResponses(...PAGE_ROUTE_ERRORS)
@Controller('v1/pages/:pageId/stats/new-customers')
export class NewCustomerCountsController {
  constructor(private readonly stats: NewCustomerCountsService) {}

  @Get()
  @ApiOperation({
    summary:
      'Customers by insertedAt per day, ISO week or month of a time zone, empty buckets included',
  })
  @ApiOkResponse({ type: [CustomerCount] })
  @ApiResponse({
    status: 409,
    type: ErrorResponse,
    description: 'SYNC_NOT_READY: the page is still backfilling (details give the progress)',
  })
  counts(
    @CurrentCaller() caller: Caller,
    @Param('pageId') pageId: string,
    @Query() query: NewCustomerCountsQuery,
  ): Promise<BucketCount[]> {
    return this.stats.counts(caller, pageId, query);
  }
}
